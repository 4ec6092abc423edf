package org.moelab.bench;

import java.util.Locale;
import java.util.function.Function;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Normalization;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The ops suite's add, softmax and LayerNorm cases (4096x256), forward and forward+backward as {@link OpBenchmarks}
 * runs them, in CPU time of this thread (one thread: {@code -Dmoelab.threads=1}): a quick check of engine changes
 * on a loaded machine. {@code java ... org.moelab.bench.MicroCpu [rows cols] [seconds per case]}
 */
public final class MicroCpu {
    private MicroCpu() {}

    public static void main(String[] args) {
        int rows = args.length > 1 ? Integer.parseInt(args[0]) : 4096, cols = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        Rng rng = new Rng(1234);
        Tensor a = Tensor.randn(rng, rows, cols).requiresGrad(true), b = Tensor.randn(rng, rows, cols).requiresGrad(true);
        Tensor gamma = Tensor.randn(rng, cols).requiresGrad(true), beta = Tensor.randn(rng, cols).requiresGrad(true);
        float[] g = Tensor.randn(rng, rows, cols).data();
        run("add", x -> x.add(b), a, g, seconds, a, b);
        run("softmax", Tensor::softmax, a, g, seconds, a);
        run("layer norm", x -> Normalization.layerNorm(x, gamma, beta, 1e-5f), a, g, seconds, a, gamma, beta);
    }

    private static void run(String name, Function<Tensor, Tensor> f, Tensor x, float[] g, double seconds, Tensor... leaves) {
        Runnable fwd = () -> {
            try (var scope = GradMode.noGrad()) {
                Blackhole.consume(f.apply(x));
            }
        };
        Runnable both = () -> {
            for (Tensor t : leaves) t.zeroGrad();
            f.apply(x).backward(g);
            Blackhole.consume(leaves[0].grad());
        };
        double tf = time(fwd, seconds), tb = time(both, seconds);
        System.out.printf(Locale.ROOT, "%-11s fwd %.3f ms  fwd+bwd %.3f ms  (bwd %.3f)%n", name, tf, tb, tb - tf);
    }

    private static double time(Runnable r, double seconds) {
        long end = TimingKernels.now() + (long) (seconds * 1e9);
        while (TimingKernels.now() < end) r.run();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = TimingKernels.now();
            int n = 0;
            while (TimingKernels.now() - t0 < seconds * 2e8) { r.run(); n++; }
            best = Math.min(best, (TimingKernels.now() - t0) / 1e6 / n);
        }
        return best;
    }
}
