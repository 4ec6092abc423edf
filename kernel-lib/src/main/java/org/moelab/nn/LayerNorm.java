package org.moelab.nn;

import org.moelab.tensor.Normalization;
import org.moelab.tensor.Tensor;

/** LayerNorm over the last axis with a gain ("weight", ones) and a shift ("bias", zeros), PyTorch's names. */
public final class LayerNorm extends Layer {
    private final int dim;
    private final float eps;
    private final Tensor weight, bias;

    public LayerNorm(int dim) {
        this(dim, 1e-5f);
    }

    public LayerNorm(int dim, float eps) {
        this.dim = Require.positive("LayerNorm", "dim", dim);
        this.eps = Require.positive("LayerNorm", "eps", eps);
        this.weight = registerParameter("weight", Tensor.ones(dim));
        this.bias = registerParameter("bias", Tensor.zeros(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, dim);
        return Normalization.layerNorm(x, weight, bias, eps);
    }

    @Override
    public String toString() {
        return "LayerNorm(" + dim + ")";
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }
}
