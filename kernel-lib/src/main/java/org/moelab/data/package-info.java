/**
 * Tasks and datasets. Every random draw comes from an {@link org.moelab.tensor.Rng}, so a seed fixes the data.
 *
 * <p>Character language modelling: {@link org.moelab.data.CharCorpus} (a shipped public-domain text, any UTF-8
 * file, or a {@link org.moelab.data.GeneratedCharCorpus} drawn from a known mixture of character Markov "topics"
 * whose entropy floor is computable), with a deterministic train/validation split by contiguous blocks
 * ({@link org.moelab.data.TrainValidationSplit}) and next-character {@link org.moelab.data.Batch}es.
 */
package org.moelab.data;
