/**
 * Evaluation of generated images for the ProMoE reproduction (notes §3.5 "Evaluator"): the frozen Shapes-10
 * classifier {@link org.moelab.eval.ShapesClassifier}, its shipped weights behind
 * {@link org.moelab.eval.ShapesEvaluator#shipped()} (conditional accuracy, 64-d features, Fréchet distance), the
 * {@link org.moelab.eval.FrechetDistance} itself, and {@link org.moelab.eval.TrainShapesEvaluator}, which made the
 * weights.
 */
package org.moelab.eval;
