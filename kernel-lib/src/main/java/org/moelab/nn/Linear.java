package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * y = x·Wᵀ + b over the last axis of x [..., in]. W is stored [out, in] as in PyTorch and multiplied with the
 * transpose flag, so no transposed copy is ever made. Weight and bias start U(-1/√in, 1/√in) (PyTorch's default).
 */
public final class Linear extends Layer {
    private final int in, out;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out, Rng rng) {
        this(in, out, true, rng);
    }

    public Linear(int in, int out, boolean bias, Rng rng) {
        this.in = Require.positive("Linear", "in", in);
        this.out = Require.positive("Linear", "out", out);
        Require.notNull("Linear", "rng", rng);
        float bound = (float) (1 / Math.sqrt(in));
        this.weight = registerParameter("weight", Tensor.uniform(rng, -bound, bound, out, in));
        this.bias = bias ? registerParameter("bias", Tensor.uniform(rng, -bound, bound, out)) : null;
    }

    /**
     * A layer initialised as fla's and Hugging Face's {@code _init_weights} do: W ~ N(0, initStd²), bias zero.
     *
     * @param in      input features (last axis of x)
     * @param out     output features
     * @param bias    whether to add a bias [out]
     * @param initStd standard deviation of the weight's normal init (fla's {@code initializer_range}, 0.02)
     */
    public Linear(int in, int out, boolean bias, float initStd, Rng rng) {
        this.in = Require.positive("Linear", "in", in);
        this.out = Require.positive("Linear", "out", out);
        Require.notNull("Linear", "rng", rng);
        Require.positive("Linear", "initStd", initStd);
        this.weight = registerParameter("weight", Tensor.randn(rng, initStd, out, in));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, in);
        if (x.rank() == 1) return forward(x.reshape(1, in)).reshape(out);
        Tensor y = x.matmul(weight, false, true);
        return bias == null ? y : y.add(bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias)" : ")");
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }
}
