package org.moelab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.moelab.tensor.Parallel;

/**
 * The Java side of {@code bench/run}: runs the selected suites and writes one tab-separated result file
 * (lines starting with {@code #} carry facts such as thread counts and parameter counts).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... org.moelab.bench.BenchMain [--suites ops,lm-small,lm-large]
 *      [--quick] [--threads 2] [--filter "softmax fwd"] [--out build/bench/ours.tsv]</pre>
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = parse(args);
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        boolean quick = opts.containsKey("quick");
        List<String> suites = List.of(opts.getOrDefault("suites", "ops,lm-small,lm-large").split(","));
        Path out = Path.of(opts.getOrDefault("out", "build/bench/ours.tsv"));

        // Pin the engine's thread pool (org.moelab.tensor.Parallel: GEMM blocks and element-wise loops) to the
        // count PyTorch gets from torch.set_num_threads; it reads the property once, when first used.
        System.setProperty("moelab.threads", Integer.toString(threads));
        Map<String, String> info = new LinkedHashMap<>();
        info.put("ours.jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        info.put("ours.vector.float.lanes", Integer.toString(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()));

        List<Measurement> results = new ArrayList<>();
        Harness harness = new Harness(m -> {
            results.add(m);
            System.out.printf(Locale.ROOT, "  ours   %-24s %-14s %10.3f ms  (IQR %4.1f%%, %d x %d calls)%n",
                    m.name(), m.size(), m.medianMs(), m.spreadPercent(), m.samples(), m.callsPerSample());
        }, quick, opts.get("filter"));
        for (String suite : suites) {
            switch (suite.trim()) {
                case "ops" -> new OpBenchmarks(harness).runAll();
                case "lm-small" -> TrainStepBenchmark.small().run(harness, info);
                case "lm-large" -> TrainStepBenchmark.large().run(harness, info);
                case "moe-layer" -> MoeBenchmarks.layer(harness, info);
                case "smoe-step" -> MoeBenchmarks.smoeStep(harness, info);
                case "evomoe-step" -> EvoMoeBenchmarks.step(harness, info);
                case "promoe-step" -> ProMoeBenchmarks.step(harness, info);
                case "mom-layer" -> MomBenchmarks.layer(harness, info);
                case "mom-decode" -> MomBenchmarks.decode(harness, info);
                case "loramixer-step" -> LoraMixerBenchmarks.step(harness, info);
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown suite '" + suite + "' (ops, lm-small, lm-large, moe-layer, smoe-step, evomoe-step, promoe-step, mom-layer, mom-decode, loramixer-step)");
            }
        }
        info.put("ours.threads", Parallel.threads() + " (org.moelab.tensor.Parallel pool; OpenBLAS "
                + openblas_nolapack.blas_get_num_threads() + " per call)");
        write(out, info, results);
    }

    static void write(Path out, Map<String, String> info, List<Measurement> results) throws IOException {
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            info.forEach((k, v) -> w.println("#" + k + "\t" + v.replace('\t', ' ').replace('\n', ' ')));
            w.println(Measurement.HEADER);
            for (Measurement m : results) w.println(m.toTsv());
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String key = a.substring(2);
            if (key.equals("quick")) opts.put(key, "true");
            else if (i + 1 < args.length) opts.put(key, args[++i]);
            else throw new IllegalArgumentException("--" + key + " needs a value");
        }
        return opts;
    }
}
