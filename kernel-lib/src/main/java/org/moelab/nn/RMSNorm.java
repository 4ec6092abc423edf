package org.moelab.nn;

import org.moelab.tensor.Normalization;
import org.moelab.tensor.Tensor;

/** RMSNorm over the last axis: x/√(mean(x²)+eps)·weight, weight starting at ones (LLaMA's norm). */
public final class RMSNorm extends Layer {
    private final int dim;
    private final float eps;
    private final Tensor weight;

    public RMSNorm(int dim) {
        this(dim, 1e-6f);
    }

    public RMSNorm(int dim, float eps) {
        this.dim = Require.positive("RMSNorm", "dim", dim);
        this.eps = Require.positive("RMSNorm", "eps", eps);
        this.weight = registerParameter("weight", Tensor.ones(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, dim);
        return Normalization.rmsNorm(x, weight, eps);
    }

    @Override
    public String toString() {
        return "RMSNorm(" + dim + ")";
    }

    public Tensor weight() {
        return weight;
    }
}
