package org.moelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The DJL column of {@code bench/run}: the micro ops of {@link OpBenchmarks} and the language-model steps of
 * {@link TrainStepBenchmark} on DJL's PyTorch engine (libtorch 2.7.1), with DJL's NDArray autograd
 * ({@code GradientCollector}'s engine calls) and DJL's AdamW, timed by the same {@link Harness} and written in the same
 * format, so {@link Report} joins it as a third column. Same names, shapes, thread count and protocol as ours and
 * Debian's PyTorch 1.13; only the engine differs.
 *
 * <p>Differences that a reader of the numbers should know: DJL's GELU is libtorch's exact (erf) GELU, ours and the
 * PyTorch mirror use the tanh approximation (same cost class); DJL has no {@code grad = None}, so each fwd+bwd zeroes
 * the leaves' gradients in place (as DJL's own {@code Trainer} does). The MoE layer is not mirrored: DJL's NDArray API
 * has no {@code index_add}, the op every sparse MoE dispatch needs.
 *
 * <pre>java -Dai.djl.offline=true -cp ... org.moelab.bench.DjlBenchMain [--suites ops,lm-small,lm-large] [--threads 2]
 *      [--quick] [--filter "softmax"] [--out build/bench/djl.tsv]</pre>
 */
public final class DjlBenchMain {
    private DjlBenchMain() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = BenchMain.parse(args);
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        // Read once, when the engine starts: intra-op threads as torch.set_num_threads on the PyTorch side.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");
        Engine engine = Engine.getEngine("PyTorch");
        Map<String, String> info = new LinkedHashMap<>();
        info.put("djl.version", Engine.getDjlVersion() + ", engine " + engine.getEngineName() + " " + engine.getVersion());
        info.put("djl.threads", JniUtils.getNumThreads() + " (ai.djl.pytorch.num_threads)");
        List<Measurement> results = new ArrayList<>();
        Harness harness = new Harness(m -> {
            results.add(m);
            System.out.printf(Locale.ROOT, "  DJL    %-24s %-14s %10.3f ms  (IQR %4.1f%%, %d x %d calls)%n",
                    m.name(), m.size(), m.medianMs(), m.spreadPercent(), m.samples(), m.callsPerSample());
        }, opts.containsKey("quick"), opts.get("filter"));
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String suite : opts.getOrDefault("suites", "ops,lm-small,lm-large").split(",")) {
                switch (suite.trim()) {
                    case "ops" -> ops(harness, manager);
                    case "lm-small" -> DjlTrainStep.run(harness, info, manager, TrainStepBenchmark.SMALL);
                    case "lm-large" -> DjlTrainStep.run(harness, info, manager, TrainStepBenchmark.LARGE);
                    // Not mirrored (DJL has no index_add for a sparse MoE dispatch): ours and PyTorch only.
                    case "moe-layer", "smoe-step", "evomoe-step", "promoe-step", "mom-layer", "mom-decode", "loramixer-step", "" -> { }
                    default -> throw new IllegalArgumentException("unknown suite '" + suite + "' (ops, lm-small, lm-large mirrored)");
                }
            }
        }
        BenchMain.write(Path.of(opts.getOrDefault("out", "build/bench/djl.tsv")), info, results);
    }

    /** {@link OpBenchmarks#runAll} case by case. */
    private static void ops(Harness harness, NDManager manager) {
        Random random = new Random(1234);
        for (int[] s : OpBenchmarks.SIZES) {
            int rows = s[0], cols = s[1];
            String size = rows + "x" + cols;
            NDArray a = leaf(manager, random, rows, cols), b = leaf(manager, random, rows, cols), row = leaf(manager, random, cols);
            NDArray gamma = leaf(manager, random, cols), beta = leaf(manager, random, cols);
            unary(harness, manager, random, "add", size, x -> x.add(b), a, b);
            unary(harness, manager, random, "broadcast mul", size, x -> x.mul(row), a, row);
            unary(harness, manager, random, "exp", size, NDArray::exp, a);
            unary(harness, manager, random, "gelu", size, Activation::gelu, a);
            unary(harness, manager, random, "softmax", size, x -> x.softmax(-1), a);
            unary(harness, manager, random, "layer norm", size,
                    x -> LayerNorm.layerNorm(x, new Shape(cols), gamma, beta, 1e-5f).singletonOrThrow(), a, gamma, beta);
        }
        for (int[] g : OpBenchmarks.GEMMS) {
            int m = g[0], k = g[1], n = g[2];
            String size = m + "x" + k + "x" + n;
            NDArray a = leaf(manager, random, m, k), w = leaf(manager, random, k, n);
            double flops = 2.0 * m * k * n;
            forward(harness, manager, "matmul fwd", size, flops, () -> a.matMul(w));
            forwardBackward(harness, manager, random, "matmul fwd+bwd", size, 3 * flops, () -> a.matMul(w), a, w);
        }
    }

    private static void unary(Harness harness, NDManager manager, Random random, String name, String size,
                              Function<NDArray, NDArray> f, NDArray x, NDArray... others) {
        forward(harness, manager, name + " fwd", size, 0, () -> f.apply(x));
        NDArray[] leaves = new NDArray[others.length + 1];
        leaves[0] = x;
        System.arraycopy(others, 0, leaves, 1, others.length);
        forwardBackward(harness, manager, random, name + " fwd+bwd", size, 0, () -> f.apply(x), leaves);
    }

    /** Outside a gradient collector DJL records nothing (PyTorch's no_grad). */
    private static void forward(Harness harness, NDManager manager, String name, String size, double flops,
                                java.util.function.Supplier<NDArray> f) {
        harness.measure(name, size, flops, Harness.Settings.MICRO, () -> {
            try (NDManager call = manager.newSubManager()) {
                f.get().attach(call);
            }
        });
    }

    private static void forwardBackward(Harness harness, NDManager manager, Random random, String name, String size,
                                        double flops, java.util.function.Supplier<NDArray> f, NDArray... leaves) {
        NDArray gradOut;
        try (NDManager probe = manager.newSubManager()) {
            NDArray y = owned(probe, f.get());
            gradOut = randn(manager, random, y.getShape());
        }
        harness.measure(name, size, flops, Harness.Settings.MICRO, () -> {
            try (NDManager call = manager.newSubManager();
                 var collector = Engine.getInstance().newGradientCollector()) {
                for (NDArray t : leaves) JniUtils.zeroGrad((PtNDArray) t);
                NDArray y = owned(call, f.get());
                JniUtils.backward((PtNDArray) y, (PtNDArray) gradOut, false, false);
            }
        });
    }

    /** {@code array}, now closed with {@code owner} (an op's result belongs to its first input's manager). */
    static NDArray owned(NDManager owner, NDArray array) {
        array.attach(owner);
        return array;
    }

    static NDArray randn(NDManager manager, Random random, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
        return manager.create(v, shape);
    }

    private static NDArray leaf(NDManager manager, Random random, long... shape) {
        NDArray x = randn(manager, random, new Shape(shape));
        x.setRequiresGradient(true);
        return x;
    }
}
