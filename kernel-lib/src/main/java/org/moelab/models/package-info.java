/**
 * One file per paper's model, each built by a validating builder whose options are the paper's hyper-parameters
 * (the model keeps its own copy of the builder, so reusing a builder never changes a built model), with the
 * method's equations in the class javadoc: {@link org.moelab.models.SmoeDropout}, {@link org.moelab.models.MoM},
 * {@link org.moelab.models.EvoMoE}, {@link org.moelab.models.LoraMixer}, {@link org.moelab.models.ProMoE}; the
 * decoder language models they share ({@link org.moelab.models.MoeLanguageModel} with its
 * {@link org.moelab.models.FeedForwardSlot}, {@link org.moelab.models.MixerLanguageModel}) and the rectified-flow
 * objective of the diffusion model ({@link org.moelab.models.RectifiedFlow}).
 *
 * <p>May import: {@code org.moelab.tensor}, {@code nn}, {@code moe}, {@code data} (batch types) and {@code train}
 * (schedules, and optimizers only to reset moments when a model grows new parameters). Nothing here runs a training
 * loop, prints or draws: that is {@code org.moelab.train} and {@code org.moelab.experiments}.
 */
package org.moelab.models;
