package org.moelab.nn;

import org.moelab.tensor.Rng;

/** How a sequence model encodes positions. */
public enum PositionKind {
    /** A trained [maxLen, dim] table ({@link LearnedPositionalEmbedding}). */
    LEARNED,
    /** Fixed 1-D sinusoids ({@link SinCosPositionalEmbedding#oneD}). */
    SINCOS;

    public Layer create(int maxLen, int dim, Rng rng) {
        return this == LEARNED ? new LearnedPositionalEmbedding(maxLen, dim, rng) : SinCosPositionalEmbedding.oneD(maxLen, dim);
    }
}
