/**
 * Sweeps of the papers' experiments on Apache Spark: seeds × arms × a grid of settings (or the fair tuning protocol),
 * one Spark task per point, results stored per point so a rerun computes only what is missing, and a statistics
 * table (n, mean, sd, 95% t-interval) per arm and configuration.
 *
 * <p>The pieces: {@link org.moelab.sweep.SweepPlan} (what the user asked for, validated before any work),
 * {@link org.moelab.sweep.SweepPoint} and {@link org.moelab.sweep.PointResult} (one point and what it gave, plain
 * serialisable data), {@link org.moelab.sweep.PointRunner} / {@link org.moelab.sweep.PaperPoints} (how a point is
 * trained), {@link org.moelab.sweep.ResultStore} (atomic files under {@code build/sweeps/<spec hash>/}),
 * {@link org.moelab.sweep.SparkPoints} (the Spark job), {@link org.moelab.sweep.Sweeps} (plan → points → results →
 * {@link org.moelab.sweep.SweepReport}) and {@link org.moelab.sweep.SweepMain} ({@code ./moelab sweep}).
 *
 * <p>Depends on kernel-lib ({@code experiments}, {@code lab}) and Spark; kernel-lib never depends on it.
 */
package org.moelab.sweep;
