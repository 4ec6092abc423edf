package org.moelab.bench;

import java.util.function.Function;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Normalization;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Per-op micro benchmarks at the activation sizes of our models (2048x64, 4096x256) and the two GEMMs of a
 * linear layer at those sizes. Mirrors bench/pytorch/ops.py case by case: same names, shapes and protocol.
 *
 * <p>"fwd" runs with gradient recording off (PyTorch: {@code torch.no_grad()}); "fwd+bwd" records, then
 * back-propagates a fixed random output gradient into fresh leaf gradients (PyTorch: {@code grad = None},
 * then {@code y.backward(g)}), so both sides pay for allocating the gradients.
 */
final class OpBenchmarks {
    static final int[][] SIZES = {{2048, 64}, {4096, 256}};
    /** m x k x n: a 2048-token batch through a 64x64 projection, and 4096 tokens through a 256->1024 FFN layer. */
    static final int[][] GEMMS = {{2048, 64, 64}, {4096, 256, 1024}};

    private final Harness harness;
    private final Rng rng = new Rng(1234);

    OpBenchmarks(Harness harness) {
        this.harness = harness;
    }

    void runAll() {
        for (int[] s : SIZES) {
            int rows = s[0], cols = s[1];
            String size = rows + "x" + cols;
            Tensor a = leaf(rows, cols), b = leaf(rows, cols), row = leaf(cols);
            Tensor gamma = leaf(cols), beta = leaf(cols);
            unaryCase("add", size, x -> x.add(b), a, b);
            unaryCase("broadcast mul", size, x -> x.mul(row), a, row);
            unaryCase("exp", size, Tensor::exp, a);
            unaryCase("gelu", size, Tensor::gelu, a);
            unaryCase("softmax", size, Tensor::softmax, a);
            unaryCase("layer norm", size, x -> Normalization.layerNorm(x, gamma, beta, 1e-5f), a, gamma, beta);
        }
        for (int[] g : GEMMS) {
            int m = g[0], k = g[1], n = g[2];
            String size = m + "x" + k + "x" + n;
            Tensor a = leaf(m, k), w = leaf(k, n);
            double flops = 2.0 * m * k * n;
            forward("matmul fwd", size, flops, () -> a.matmul(w));
            // Backward is two GEMMs of the same size (dA = dY·Wᵀ, dW = Aᵀ·dY).
            forwardBackward("matmul fwd+bwd", size, 3 * flops, () -> a.matmul(w), a, w);
        }
    }

    /** fwd and fwd+bwd of y = f(x), where {@code leaves} are every input that takes a gradient. */
    private void unaryCase(String name, String size, Function<Tensor, Tensor> f, Tensor x, Tensor... others) {
        forward(name + " fwd", size, 0, () -> f.apply(x));
        Tensor[] leaves = new Tensor[others.length + 1];
        leaves[0] = x;
        System.arraycopy(others, 0, leaves, 1, others.length);
        forwardBackward(name + " fwd+bwd", size, 0, () -> f.apply(x), leaves);
    }

    private void forward(String name, String size, double flops, java.util.function.Supplier<Tensor> f) {
        harness.measure(name, size, flops, Harness.Settings.MICRO, () -> {
            try (var scope = GradMode.noGrad()) {
                Blackhole.consume(f.get());
            }
        });
    }

    private void forwardBackward(String name, String size, double flops, java.util.function.Supplier<Tensor> f,
                                 Tensor... leaves) {
        Tensor probe = f.get();
        float[] gradOut = Tensor.randn(rng, probe.shape()).data();
        harness.measure(name, size, flops, Harness.Settings.MICRO, () -> {
            for (Tensor t : leaves) t.zeroGrad();
            Tensor y = f.get();
            y.backward(gradOut);
            Blackhole.consume(leaves[0].grad());
        });
    }

    private Tensor leaf(int... shape) {
        return Tensor.randn(rng, shape).requiresGrad(true);
    }
}
