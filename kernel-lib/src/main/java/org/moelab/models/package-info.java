/**
 * One file per paper's model, each built by a validating builder whose options are the paper's hyper-parameters
 * (the model keeps its own copy of the builder, so reusing a builder never changes a built model), with the
 * method's equations in the class javadoc: {@link org.moelab.models.SmoeDropout}, {@link org.moelab.models.MoM},
 * {@link org.moelab.models.EvoMoE}, {@link org.moelab.models.LoraMixer}, {@link org.moelab.models.ProMoE}; the one
 * decoder every language model among them is a configuration of ({@link org.moelab.models.CausalTransformer}: pre-norm
 * {@link org.moelab.models.DecoderBlock}s with a token-mixer slot — attention, linear attention, Gated DeltaNet, MoM —
 * and a feed-forward slot — dense or an MoE layer —, LoRA-Mixer wrapping its projections through the block's hooks)
 * and the rectified-flow objective of the diffusion model ({@link org.moelab.models.RectifiedFlow}; ProMoE's DiT
 * blocks are conditioned on time and class, so they are their own {@code AdaLnZeroBlock}).
 *
 * <p>May import: {@code org.moelab.tensor}, {@code nn}, {@code moe}, {@code data} (batch types) and {@code train}
 * (schedules, and optimizers only to reset moments when a model grows new parameters). Nothing here runs a training
 * loop, prints or draws: that is {@code org.moelab.train} and {@code org.moelab.experiments}.
 */
package org.moelab.models;
