/**
 * Tasks and datasets. Every random draw comes from an {@link org.moelab.tensor.Rng}, so a seed fixes the data.
 *
 * <p>Character language modelling: {@link org.moelab.data.CharCorpus} (a shipped public-domain text, any UTF-8
 * file, or a {@link org.moelab.data.GeneratedCharCorpus} drawn from a known mixture of character Markov "topics"
 * whose entropy floor is computable), with a deterministic train/validation split by contiguous blocks
 * ({@link org.moelab.data.TrainValidationSplit}) and next-character {@link org.moelab.data.Batch}es.
 *
 * <p>Images (ProMoE): 16×16 grayscale ten-class {@link org.moelab.data.LabelledImages} with foreground masks from a
 * {@link org.moelab.data.ClassImageGenerator} — {@link org.moelab.data.Shapes10} (shapes) or
 * {@link org.moelab.data.Textures10} (class textures, so that single patches carry the class), chosen by name as an
 * {@link org.moelab.data.ImageDataset}.
 */
package org.moelab.data;
