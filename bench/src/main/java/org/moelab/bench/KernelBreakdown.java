package org.moelab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Tensor;

/**
 * Where a training step's time goes, per kernel primitive: runs the step with {@link TimingKernels} in place of
 * the current kernels and prints milliseconds per step for each primitive and for everything outside them.
 * {@code -Dbench.cpuTime=true -Dbench.threads=1}: CPU time of the stepping thread instead of wall time (the
 * measure to compare engine changes with on a loaded machine).
 *
 * <pre>java ... org.moelab.bench.KernelBreakdown lm-small|lm-large|moe-layer|loramixer-stage1|loramixer-stage2|evomoe-tau2|evomoe-top1|promoe|smoe [warmupSeconds] [steps]</pre>
 *
 * <p>The evomoe, promoe and smoe steps are the ones {@code bench/run} times ({@link EvoMoeBenchmarks},
 * {@link ProMoeBenchmarks}, {@link MoeBenchmarks#smoeSetup}).
 */
public final class KernelBreakdown {
    private KernelBreakdown() {}

    public static void main(String[] args) {
        TrainStepBenchmark.Config c = "lm-large".equals(args.length > 0 ? args[0] : "") ? TrainStepBenchmark.LARGE : TrainStepBenchmark.SMALL;
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        System.setProperty("moelab.threads", System.getProperty("bench.threads", "2"));
        TimingKernels timing = new TimingKernels(Kernels.current());
        Kernels.use(timing);
        String arg = args.length > 0 ? args[0] : "";
        String name = arg.startsWith("loramixer") || arg.startsWith("evomoe") || arg.startsWith("mom-mqar") || arg.equals("promoe") || arg.equals("smoe") || arg.equals("moe-layer") ? arg : c.name();
        Runnable step = setup(name).step();
        // The warm-up runs on the measuring clock: with -Dbench.cpuTime=true, warmup seconds of this thread's CPU
        // time, so that a loaded machine (where wall seconds buy little CPU) still reaches compiled code.
        long end = TimingKernels.now() + (long) (warmup * 1e9);
        while (TimingKernels.now() < end) step.run();
        // Then until the JIT is done: on a loaded machine the compiler threads lag far behind, and a step measured
        // before C2 has compiled the vector loops runs them 10-20x slower.
        Harness.untilJitQuiet(step, 5);
        timing.reset();
        long t0 = TimingKernels.now();
        for (int i = 0; i < steps; i++) step.run();
        double stepMs = (TimingKernels.now() - t0) / 1e6 / steps;
        print(name, stepMs, steps, timing.totals());
    }

    /** A benchmark step ready to run, and the parameters it trains. */
    record StepSetup(List<Tensor> parameters, Runnable step) {}

    /** The step a KernelBreakdown or {@link Fingerprint} name stands for ({@code lm-large}, else lm-small, by default). */
    static StepSetup setup(String name) {
        if (name.startsWith("loramixer")) {
            LoraMixerBenchmarks.Setup s = LoraMixerBenchmarks.setup(name);
            return new StepSetup(s.model().parameters(), s.step());
        }
        if (name.startsWith("evomoe")) {
            EvoMoeBenchmarks.Setup s = EvoMoeBenchmarks.setup(name);
            return new StepSetup(s.module().parameters(), s.step());
        }
        if (name.startsWith("mom-mqar")) {
            MomBenchmarks.MqarSetup s = MomBenchmarks.mqarSetup(name);
            return new StepSetup(s.model().parameters(), s.step());
        }
        if (name.equals("promoe")) {
            ProMoeBenchmarks.Setup s = ProMoeBenchmarks.setup();
            return new StepSetup(s.module().parameters(), s.step());
        }
        if (name.equals("moe-layer")) {
            MoeBenchmarks.LayerSetup s = MoeBenchmarks.layerSetup();
            return new StepSetup(s.layer().parameters(), s.step());
        }
        if (name.equals("smoe")) {
            MoeBenchmarks.SmoeSetup s = MoeBenchmarks.smoeSetup();
            return new StepSetup(s.module().parameters(), s.step());
        }
        TrainStepBenchmark.Setup s = new TrainStepBenchmark.Setup("lm-large".equals(name) ? TrainStepBenchmark.LARGE : TrainStepBenchmark.SMALL);
        return new StepSetup(s.model.parameters(), s::step);
    }

    static void print(String name, double stepMs, int steps, Map<String, long[]> totals) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(totals.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        double inKernels = 0;
        System.out.printf(Locale.ROOT, "%n## %s: %.1f ms %s per step (mean of %d), by kernel primitive%n%n", name, stepMs,
                Boolean.getBoolean("bench.cpuTime") ? "CPU time (calling thread)" : "wall time", steps);
        System.out.println("| primitive | ms/step | share | calls/step |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, long[]> e : rows) {
            double ms = e.getValue()[0] / 1e6 / steps;
            inKernels += ms;
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f%% | %d |%n", e.getKey(), ms, 100 * ms / stepMs, e.getValue()[1] / steps);
        }
        double outside = stepMs - inKernels;
        System.out.printf(Locale.ROOT, "| outside primitives (permute/slice copies, allocation, GC, tape, optimizer) | %.2f | %.1f%% | |%n",
                outside, 100 * outside / stepMs);
    }
}
