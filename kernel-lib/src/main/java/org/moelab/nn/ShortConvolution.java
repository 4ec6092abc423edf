package org.moelab.nn;

import org.moelab.tensor.Convolution;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Gated DeltaNet's short convolution: depthwise causal conv of width W (4), no bias, then SiLU, over x [B, T, C].
 * It is what gives a recurrent layer the "previous token" that associative recall needs. Weight [C, W] starts
 * U(±1/√W) (PyTorch's Conv1d default for one input channel per group) or, with an explicit {@code initStd},
 * N(0, initStd²) as fla's models initialise their {@code ShortConvolution} (an {@code nn.Conv1d}: std
 * {@code initializer_range} = 0.02). {@link #step} is the decoding form: it keeps the last W−1 inputs in a
 * caller-owned buffer, so its memory is constant.
 */
public final class ShortConvolution extends Layer {
    private final int channels, width;
    private final Tensor weight;

    /** PyTorch's default init, U(±1/√W). */
    public ShortConvolution(int channels, int width, Rng rng) {
        this(channels, width, 0f, rng);
    }

    /**
     * @param channels C, the feature axis of x [B, T, C] (one filter per channel, depthwise)
     * @param width    W, the kernel size: output t sees inputs t−W+1 … t (fla's {@code conv_size}, 4)
     * @param initStd  &gt; 0: weight [C, W] ~ N(0, initStd²) (fla's init); 0: PyTorch's U(±1/√W)
     */
    public ShortConvolution(int channels, int width, float initStd, Rng rng) {
        this.channels = Require.positive("ShortConvolution", "channels", channels);
        this.width = Require.positive("ShortConvolution", "width", width);
        Require.nonNegative("ShortConvolution", "initStd", initStd);
        float bound = (float) (1 / Math.sqrt(width));
        this.weight = registerParameter("weight", initStd > 0 ? Tensor.randn(rng, initStd, channels, width) : Tensor.uniform(rng, -bound, bound, channels, width));
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, channels, 3);
        return Convolution.causalDepthwiseConv1d(x, weight).silu();
    }

    /** A zeroed decoding buffer: the last W−1 inputs, oldest first. */
    public float[] newBuffer() {
        return new float[(width - 1) * channels];
    }

    /** One decoding step: y = silu(Σ_j w[c,j]·x_{t−W+1+j}[c]) with x_t = {@code x}; shifts {@code buffer}. */
    public float[] step(float[] buffer, float[] x) {
        float[] w = weight.data(), y = new float[channels];
        for (int c = 0; c < channels; c++) {
            float acc = w[c * width + width - 1] * x[c];
            for (int j = 0; j < width - 1; j++) acc += w[c * width + j] * buffer[j * channels + c];
            y[c] = (float) (acc / (1 + StrictMath.exp(-acc)));
        }
        if (width > 1) {
            System.arraycopy(buffer, channels, buffer, 0, (width - 2) * channels);
            System.arraycopy(x, 0, buffer, (width - 2) * channels, channels);
        }
        return y;
    }

    public Tensor weight() {
        return weight;
    }

    public int width() {
        return width;
    }

    @Override
    public String toString() {
        return "ShortConvolution(" + channels + ", width " + width + ", SiLU)";
    }
}
