package org.moelab.nn;

import java.util.Arrays;
import org.moelab.tensor.Tensor;

/** Sin-cos tables and the shared "first T rows of a position table" step of the positional embeddings. */
final class PositionTables {
    private PositionTables() {}

    /** The rows [0, T) of {@code table} for x [B, T, dim] or [T, dim], checked against the table's size. */
    static Tensor firstRows(Object owner, Tensor table, Tensor x, int maxLen, int dim) {
        Require.input(owner, x, dim, 2, 3);
        int t = x.size(-2);
        if (t > maxLen) throw new IllegalArgumentException(owner + ": sequence length " + t + " exceeds maxLen=" + maxLen + " (input shape " + Arrays.toString(x.shape()) + ")");
        return t == maxLen ? table : table.slice(0, 0, t);
    }

    /**
     * MAE-style 1-D table [positions.length, dim]: the first half of each row is sin(pos·ωᵢ), the second cos(pos·ωᵢ),
     * ωᵢ = 10000^(-i/(dim/2)).
     */
    static float[] sinCos(float[] positions, int dim) {
        int half = dim / 2;
        float[] out = new float[positions.length * dim];
        for (int p = 0; p < positions.length; p++) {
            for (int i = 0; i < half; i++) {
                double angle = positions[p] * StrictMath.pow(10000.0, -(double) i / half);
                out[p * dim + i] = (float) StrictMath.sin(angle);
                out[p * dim + half + i] = (float) StrictMath.cos(angle);
            }
        }
        return out;
    }
}
