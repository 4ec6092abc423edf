/**
 * Evaluation of generated images for the ProMoE reproduction (notes §3.5 "Evaluator"): the frozen classifier
 * {@link org.moelab.eval.ShapesClassifier}, its shipped weights per data set behind
 * {@link org.moelab.eval.ShapesEvaluator#shipped(org.moelab.data.ImageDataset)} (Shapes-10, Textures-10; conditional
 * accuracy, 64-d features, Fréchet distance), the
 * {@link org.moelab.eval.FrechetDistance} itself, and {@link org.moelab.eval.TrainShapesEvaluator}, which made the
 * weights.
 */
package org.moelab.eval;
