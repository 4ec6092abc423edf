/**
 * Training machinery over {@link org.moelab.nn.Module} parameters: the {@link org.moelab.train.Trainer} (steps,
 * per-step {@link org.moelab.train.StepContext} with the step's random stream, clipping, schedule, NaN recovery,
 * evaluation hooks, live progress, interrupts, a {@link org.moelab.train.Run} with its {@link org.moelab.train.History}),
 * the {@link org.moelab.train.Optimizer} interface with {@link org.moelab.train.SGD}, {@link org.moelab.train.Adam}
 * and {@link org.moelab.train.AdamW} over one {@link org.moelab.train.AdamBase} (PyTorch's update rules, so results
 * can be compared step by step), gradient clipping by global norm ({@link org.moelab.train.GradClipping}),
 * learning-rate and step schedules ({@link org.moelab.train.LearningRateSchedule}, {@link org.moelab.train.StepSchedule}),
 * {@link org.moelab.train.Ema} weights and {@link org.moelab.train.Checkpoint} files.
 *
 * <p>Updates are plain loops over each parameter's {@code data()} and gradient arrays, allocating nothing per step
 * beyond the gradient view object. A parameter whose gradient is null (no loss reached it since the last
 * {@code zeroGrad}, e.g. an expert that received no tokens) is skipped entirely, moments and step count included,
 * as PyTorch does with set-to-none gradients.
 *
 * <p>May import: {@code org.moelab.tensor}, {@code nn}, {@code lab} (interrupts, live display) and {@code viz}
 * (progress rendering). Nothing here knows a router, a model or a paper.
 */
package org.moelab.train;
