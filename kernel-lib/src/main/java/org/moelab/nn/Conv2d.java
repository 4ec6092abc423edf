package org.moelab.nn;

import java.util.Arrays;
import org.moelab.tensor.Convolution;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * 2-D convolution over images [N, in, H, W] → [N, out, OH, OW] (PyTorch's {@code nn.Conv2d} with a square kernel,
 * zero padding on every side). Weight [out, in, k, k] and bias [out] start U(−1/√(in·k·k), 1/√(in·k·k)), PyTorch's
 * default; state-dict names {@code weight} and {@code bias}. Used by the Shapes-10 evaluator (ProMoE notes §3.5).
 */
public final class Conv2d extends Layer {
    private final int in, out, kernel, stride, padding;
    private final Tensor weight;
    private final Tensor bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding, Rng rng) {
        this(in, out, kernel, stride, padding, true, rng);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
        this.in = Require.positive("Conv2d", "in", in);
        this.out = Require.positive("Conv2d", "out", out);
        this.kernel = Require.positive("Conv2d", "kernel", kernel);
        this.stride = Require.positive("Conv2d", "stride", stride);
        if (padding < 0) throw new IllegalArgumentException("Conv2d: padding must be >= 0, got " + padding);
        this.padding = padding;
        Require.notNull("Conv2d", "rng", rng);
        float bound = (float) (1 / Math.sqrt((double) in * kernel * kernel));
        this.weight = registerParameter("weight", Tensor.uniform(rng, -bound, bound, out, in, kernel, kernel));
        this.bias = bias ? registerParameter("bias", Tensor.uniform(rng, -bound, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null) throw new IllegalArgumentException(this + ": input must not be null");
        if (x.rank() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException(this + ": input must be [N, " + in + ", H, W] but has shape " + Arrays.toString(x.shape()));
        }
        return Convolution.conv2d(x, weight, bias, stride, padding);
    }

    /** The output side length for an input side length {@code size}. */
    public int outputSize(int size) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + " -> " + out + ", kernel " + kernel + ", stride " + stride + ", padding " + padding + (bias == null ? ", no bias)" : ")");
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }
}
