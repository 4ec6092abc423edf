/**
 * The Java side of {@code ./moelab bench} ({@code bench/run}), which runs it beside the PyTorch mirrors in
 * {@code bench/pytorch/} on the same models, parameter counts and thread counts: {@link org.moelab.bench.BenchMain}
 * selects suites and writes one tab-separated result file; {@link org.moelab.bench.Harness} times with warm-up,
 * rounds and a {@link org.moelab.bench.Blackhole}; one {@code *Benchmarks} class per paper's training step plus
 * {@link org.moelab.bench.OpBenchmarks} for single operations; {@link org.moelab.bench.Trajectory} writes a
 * training trajectory (initial weights, batches, every random draw, per-step losses and gradient norms) that
 * {@code bench/pytorch/trajectory.py} replays on the PyTorch mirror; {@link org.moelab.bench.KernelBreakdown} and
 * {@link org.moelab.bench.ProfileMain} say where a step's time goes. Speed is reported as ratios to PyTorch with
 * the load average, never asserted in tests.
 */
package org.moelab.bench;
