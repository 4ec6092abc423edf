/**
 * Training machinery over {@link org.moelab.nn.Module} parameters: the {@link org.moelab.train.Optimizer}
 * interface with {@link org.moelab.train.SGD}, {@link org.moelab.train.Adam} and {@link org.moelab.train.AdamW}
 * (PyTorch's update rules, so results can be compared step by step), gradient clipping by global norm
 * ({@link org.moelab.train.GradClipping}) and learning-rate schedules ({@link org.moelab.train.LearningRateSchedule}).
 *
 * <p>Updates are plain loops over each parameter's {@code data()} and gradient arrays, allocating nothing per step
 * beyond the gradient view object. A parameter whose gradient is null (no loss reached it since the last
 * {@code zeroGrad}, e.g. an expert that received no tokens) is skipped entirely, moments and step count included,
 * as PyTorch does with set-to-none gradients.
 */
package org.moelab.train;
