/**
 * MoE models inside Tribuo: {@link org.moelab.tribuo.MoeClassifierTrainer} is a Tribuo {@code Trainer<Label>}
 * whose hyper-parameters are OLCUT {@code @Config} fields (so they land in Tribuo provenance and a trainer can be
 * rebuilt from a model's provenance), {@link org.moelab.tribuo.MoeClassifierModel} is the trained
 * {@code Model<Label>} (probabilities, routing statistics, Java serialisation), and
 * {@link org.moelab.tribuo.EvaluationReport} renders a Tribuo {@code LabelEvaluation} as HTML in a notebook.
 *
 * <p>The network is deliberately small: standardise features → Linear(features, dModel) → h + MoELayer(h) →
 * LayerNorm → Linear(dModel, classes). The residual means a token no expert takes (expert-choice routing) still
 * reaches the classifier with its features.
 *
 * <pre>{@code
 * var trainer = MoeClassifierTrainer.builder().numExperts(4).topK(2).routerKind(RouterKind.LEARNED_TOP_K).build();
 * MoeClassifierModel model = trainer.train(trainData);
 * EvaluationReport.evaluate(model, testData)        // renders accuracy, per-label table, confusion matrix
 * }</pre>
 */
package org.moelab.tribuo;
