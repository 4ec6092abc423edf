/**
 * Mixture-of-experts building blocks shared by every paper: the {@link org.moelab.moe.Router} contract (tokens in,
 * a {@link org.moelab.moe.Routing} out: token→expert {@link org.moelab.moe.Assignments}, combine weights, logits,
 * probabilities and named auxiliary losses), the routers themselves ({@link org.moelab.moe.TopKRouter} — learned or
 * SMoE-Dropout's frozen random one —, {@link org.moelab.moe.SwitchRouter}, {@link org.moelab.moe.HashRouter},
 * {@link org.moelab.moe.ExpertChoiceRouter}, {@link org.moelab.moe.DenseToSparseGate}, {@link org.moelab.moe.PrototypeRouter},
 * {@link org.moelab.moe.ConditionalRouter} ...), the two {@link org.moelab.moe.ExpertBank}s a {@code Routing} drives —
 * the FFN experts {@link org.moelab.moe.Experts} with their gather/compute/scatter {@link org.moelab.moe.ExpertDispatch},
 * and LoRA-Mixer's routed LoRA adapters around a projection ({@link org.moelab.moe.LoRAMixerLinear}) — with routes that
 * need no router ({@link org.moelab.moe.Routing#hard}, {@link org.moelab.moe.Routing#dense},
 * {@link org.moelab.moe.Routing#topK}), the layer that joins a router and a bank ({@link org.moelab.moe.MoELayer}),
 * auxiliary losses ({@link org.moelab.moe.AuxLosses}, {@link org.moelab.moe.RoutingContrastiveLoss}) and routing
 * diagnostics ({@link org.moelab.moe.RoutingMetrics}, {@link org.moelab.moe.ExpertSubspaces}).
 *
 * <p>A forward pass's per-call facts (training flag, step, random stream, per-token labels and token ids) travel in
 * {@link org.moelab.moe.RoutingContext}, the forward context: one value per pass, also stating the pass's top-k
 * (so a k schedule has one owner) and holding the pass's {@link org.moelab.moe.RoutingRecorder}. A layer returns its
 * routing ({@link org.moelab.moe.MoELayer#forwardRouted}) or records it there; losses and metrics read the recorder of
 * their pass, never a "last routing" field.
 *
 * <p>May import: {@code org.moelab.tensor} and {@code org.moelab.nn}. Nothing here knows a paper, a data set or a
 * trainer.
 */
package org.moelab.moe;
