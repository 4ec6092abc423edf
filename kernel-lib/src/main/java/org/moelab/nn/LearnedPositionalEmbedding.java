package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Adds a learned position vector to each time step of x [B, T, dim] or [T, dim]; table N(0, 0.02²) as in GPT-2. */
public final class LearnedPositionalEmbedding extends Layer {
    private final int maxLen, dim;
    private final Tensor weight;

    public LearnedPositionalEmbedding(int maxLen, int dim, Rng rng) {
        this.maxLen = Require.positive("LearnedPositionalEmbedding", "maxLen", maxLen);
        this.dim = Require.positive("LearnedPositionalEmbedding", "dim", dim);
        Require.notNull("LearnedPositionalEmbedding", "rng", rng);
        this.weight = registerParameter("weight", Tensor.randn(rng, 0.02f, maxLen, dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.add(PositionTables.firstRows(this, weight, x, maxLen, dim));
    }

    @Override
    public String toString() {
        return "LearnedPositionalEmbedding(maxLen=" + maxLen + ", dim=" + dim + ")";
    }

    public Tensor weight() {
        return weight;
    }
}
