package org.moelab.nn;

import org.moelab.tensor.CustomOp;
import org.moelab.tensor.Tensor;

/**
 * Gathers rows into padded buckets and scatters them back: how MoM turns "the tokens routed to memory m" into a
 * [batch, length, C] sequence its recurrence and short conv can run over (A7 of the notes), with index −1 for
 * padding (a zero row in, nothing out). Both are fused ops; each one's backward is the other.
 */
public final class RowBuckets {
    private RowBuckets() {}

    /** out[r] = x[index[r]] (zeros where index[r] = −1), x [N, ...]. */
    public static Tensor pack(Tensor x, int[] index) {
        int rows = x.size(0), cols = x.numel() / Math.max(1, rows);
        check("pack", index, rows);
        float[] src = x.data(), out = new float[index.length * cols];
        for (int r = 0; r < index.length; r++) if (index[r] >= 0) System.arraycopy(src, index[r] * cols, out, r * cols, cols);
        int[] shape = x.shape();
        shape[0] = index.length;
        return CustomOp.record("packRows", out, shape, (g, grads) -> addRows(g, index, grads.of(0), cols), x);
    }

    /** out [rows, ...] with out[index[r]] += y[r] (rows with index −1 are dropped). */
    public static Tensor unpack(Tensor y, int[] index, int rows) {
        if (y.size(0) != index.length) throw new IllegalArgumentException("RowBuckets.unpack: " + y.size(0) + " rows for " + index.length + " indices");
        check("unpack", index, rows);
        int cols = y.numel() / Math.max(1, index.length);
        float[] out = new float[rows * cols];
        addRows(y.data(), index, out, cols);
        int[] shape = y.shape();
        shape[0] = rows;
        return CustomOp.record("unpackRows", out, shape, (g, grads) -> {
            float[] dy = grads.of(0);
            for (int r = 0; r < index.length; r++) {
                if (index[r] < 0) continue;
                for (int c = 0; c < cols; c++) dy[r * cols + c] += g[index[r] * cols + c];
            }
        }, y);
    }

    private static void addRows(float[] src, int[] index, float[] dst, int cols) {
        for (int r = 0; r < index.length; r++) {
            if (index[r] < 0) continue;
            for (int c = 0; c < cols; c++) dst[index[r] * cols + c] += src[r * cols + c];
        }
    }

    private static void check(String op, int[] index, int rows) {
        for (int i : index) if (i < -1 || i >= rows) throw new IllegalArgumentException("RowBuckets." + op + ": index " + i + " outside [-1, " + rows + ")");
    }
}
