package org.moelab.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;

/**
 * A plain timing loop (no JMH: the Python side must follow exactly the same protocol, and this one is short
 * enough to mirror line by line in bench/pytorch/harness.py):
 * <ol>
 *   <li>warm up for {@code warmupSeconds} (and at least {@code minWarmupCalls} calls) so the JIT has compiled
 *       the hot loops and the allocator has settled, then on until the JIT is quiet ({@link #untilJitQuiet});</li>
 *   <li>pick how many calls one sample holds, so a sample lasts at least {@code minSampleMs} (micro ops take
 *       microseconds; timing one call would measure the clock);</li>
 *   <li>take {@code samples} samples and report the per-call median and quartiles.</li>
 * </ol>
 * A System.gc() before the samples keeps a collection triggered by set-up garbage out of the numbers; the
 * collections a workload causes itself stay in (PyTorch pays for its frees too).
 */
final class Harness {
    record Settings(double warmupSeconds, int minWarmupCalls, double minSampleMs, int samples) {
        static final Settings MICRO = new Settings(1.0, 20, 25, 15);
        static final Settings TRAIN_STEP = new Settings(3.0, 5, 0, 15);

        Settings quick() {
            return new Settings(warmupSeconds / 4, Math.max(2, minWarmupCalls / 4), minSampleMs / 2, Math.max(5, samples / 3));
        }
    }

    private final Consumer<Measurement> sink;
    private final boolean quick;
    private final String filter;

    Harness(Consumer<Measurement> sink, boolean quick) {
        this(sink, quick, null);
    }

    /** {@code filter}: run only benchmarks whose "name size" contains it (null or empty: all). */
    Harness(Consumer<Measurement> sink, boolean quick, String filter) {
        this.sink = sink;
        this.quick = quick;
        this.filter = filter == null ? "" : filter;
    }

    /** Times body; returns null (without running it) when the filter excludes it. */
    Measurement measure(String name, String size, double flops, Settings settings, Runnable body) {
        if (!(name + " " + size).contains(filter)) return null;
        Settings s = quick ? settings.quick() : settings;
        long warmupEnd = System.nanoTime() + (long) (s.warmupSeconds() * 1e9);
        int calls = 0;
        while (calls < s.minWarmupCalls() || System.nanoTime() < warmupEnd) {
            body.run();
            calls++;
        }
        untilJitQuiet(body, s.minWarmupCalls());
        int inner = calibrate(body, s.minSampleMs());
        System.gc();
        double[] perCall = new double[s.samples()];
        for (int i = 0; i < s.samples(); i++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < inner; j++) body.run();
            perCall[i] = (System.nanoTime() - t0) / 1e6 / inner;
        }
        Measurement m = Measurement.of(name, size, flops, perCall, inner);
        sink.accept(m);
        return m;
    }

    /**
     * Runs body on until a window of at least {@code minCalls} calls and {@link #QUIET_WINDOW_NS} passes without
     * a JIT compilation (at most {@link #QUIET_LIMIT_NS}). On a slow or loaded machine the compiler threads lag
     * seconds behind a fixed warm-up, and samples taken while C2 still compiles the hot loops measured the JIT,
     * not the engine (lm-small here: 57-146 ms per step after the 3 s warm-up, 54 ms once quiet). PyTorch has no
     * JIT, so its harness has no counterpart to this step.
     */
    static void untilJitQuiet(Runnable body, int minCalls) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long limit = System.nanoTime() + QUIET_LIMIT_NS;
        for (long before = -1; jit.getTotalCompilationTime() != before && System.nanoTime() < limit; ) {
            before = jit.getTotalCompilationTime();
            long windowEnd = System.nanoTime() + QUIET_WINDOW_NS;
            for (int i = 0; i < minCalls || System.nanoTime() < windowEnd; i++) body.run();
        }
    }

    private static final long QUIET_WINDOW_NS = 250_000_000L, QUIET_LIMIT_NS = 300_000_000_000L;

    /**
     * The smallest power of two of calls that takes at least {@code minSampleMs} (1 when one call already does).
     * Timed after the warm-up, because the warm-up's first calls run interpreted and would undersize samples.
     */
    static int calibrate(Runnable body, double minSampleMs) {
        int n = 1;
        while (true) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) body.run();
            double elapsedMs = (System.nanoTime() - t0) / 1e6;
            if (elapsedMs >= minSampleMs || n >= 1 << 20) return n;
            n *= 2;
        }
    }
}
