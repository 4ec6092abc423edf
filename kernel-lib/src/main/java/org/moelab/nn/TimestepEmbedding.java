package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * DiT's timestep embedder: sinusoidal features of a scalar t per sample, then an MLP.
 * freq_i = exp(−ln(10000)·i/half), i < half = F/2; feat = [cos(t·freq), sin(t·freq)] (F features);
 * emb = W₂·silu(W₁·feat + b₁) + b₂. Under rectified flow t = 1000·σ.
 */
public final class TimestepEmbedding extends Module {
    private final int frequencyDim, dim;
    private final Linear first, second;

    public TimestepEmbedding(int frequencyDim, int dim, Rng rng) {
        this.frequencyDim = Require.positive("TimestepEmbedding", "frequencyDim", frequencyDim);
        if (frequencyDim % 2 != 0) throw new IllegalArgumentException("TimestepEmbedding: frequencyDim must be even, got " + frequencyDim);
        this.dim = Require.positive("TimestepEmbedding", "dim", dim);
        Require.notNull("TimestepEmbedding", "rng", rng);
        this.first = registerModule("first", new Linear(frequencyDim, dim, rng));
        this.second = registerModule("second", new Linear(dim, dim, rng));
    }

    /** The sinusoidal features [B, F] of timesteps t (no parameters, no gradient). */
    public static Tensor sinusoidal(float[] t, int frequencyDim) {
        int half = frequencyDim / 2;
        float[] out = new float[t.length * frequencyDim];
        for (int b = 0; b < t.length; b++) {
            for (int i = 0; i < half; i++) {
                double angle = t[b] * StrictMath.exp(-StrictMath.log(10000.0) * i / half);
                out[b * frequencyDim + i] = (float) StrictMath.cos(angle);
                out[b * frequencyDim + half + i] = (float) StrictMath.sin(angle);
            }
        }
        return Tensor.of(out, t.length, frequencyDim);
    }

    /** Embeddings [B, dim] of timesteps t [B]. */
    public Tensor forward(float[] t) {
        Require.notNull("TimestepEmbedding", "t", t);
        if (t.length == 0) throw new IllegalArgumentException("TimestepEmbedding: t must not be empty");
        return second.forward(first.forward(sinusoidal(t, frequencyDim)).silu());
    }

    public int dim() {
        return dim;
    }
}
