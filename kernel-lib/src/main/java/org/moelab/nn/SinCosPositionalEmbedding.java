package org.moelab.nn;

import org.moelab.tensor.Tensor;

/**
 * Fixed sinusoidal positions added to x (no parameters). {@link #oneD} for sequences (row t of the table encodes
 * position t); {@link #twoD} for a grid of image patches in row-major order, as in MAE/DiT: the first half of the
 * channels encodes the column, the second half the row, each a 1-D sin-cos table of half the width.
 */
public final class SinCosPositionalEmbedding extends Layer {
    private final String owner;
    private final int maxLen, dim;
    private final Tensor table;

    private SinCosPositionalEmbedding(String owner, int maxLen, int dim, float[] values) {
        this.owner = owner;
        this.maxLen = maxLen;
        this.dim = dim;
        this.table = Tensor.of(values, maxLen, dim);
    }

    /** Positions 0..maxLen-1; dim must be even. */
    public static SinCosPositionalEmbedding oneD(int maxLen, int dim) {
        String owner = "SinCosPositionalEmbedding.oneD";
        Require.positive(owner, "maxLen", maxLen);
        Require.positive(owner, "dim", dim);
        if (dim % 2 != 0) throw new IllegalArgumentException(owner + ": dim must be even, got " + dim);
        float[] pos = new float[maxLen];
        for (int i = 0; i < maxLen; i++) pos[i] = i;
        return new SinCosPositionalEmbedding(owner, maxLen, dim, PositionTables.sinCos(pos, dim));
    }

    /** A gridH × gridW patch grid, patches in row-major order; dim must be divisible by 4. */
    public static SinCosPositionalEmbedding twoD(int gridH, int gridW, int dim) {
        String owner = "SinCosPositionalEmbedding.twoD";
        Require.positive(owner, "gridH", gridH);
        Require.positive(owner, "gridW", gridW);
        Require.positive(owner, "dim", dim);
        if (dim % 4 != 0) throw new IllegalArgumentException(owner + ": dim must be divisible by 4, got " + dim);
        int n = gridH * gridW, half = dim / 2;
        float[] cols = new float[n], rows = new float[n];
        for (int p = 0; p < n; p++) {
            rows[p] = p / gridW;
            cols[p] = p % gridW;
        }
        float[] byCol = PositionTables.sinCos(cols, half), byRow = PositionTables.sinCos(rows, half);
        float[] values = new float[n * dim];
        for (int p = 0; p < n; p++) {
            System.arraycopy(byCol, p * half, values, p * dim, half);
            System.arraycopy(byRow, p * half, values, p * dim + half, half);
        }
        return new SinCosPositionalEmbedding(owner, n, dim, values);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.add(PositionTables.firstRows(this, table, x, maxLen, dim));
    }

    @Override
    public String toString() {
        return owner + "(maxLen=" + maxLen + ", dim=" + dim + ")";
    }

    /** The constant [maxLen, dim] table, shared with the layer: read it, do not write it. */
    public Tensor table() {
        return table;
    }
}
