package org.moelab.tensor;

/** Row gathers and scatters, index selection, one-hot, masks and top-k: the data movement MoE routing needs. */
public final class Indexing {
    private Indexing() {}

    /** out[r] = x[index[r]] over the first axis: the gather of an MoE dispatch and of an embedding lookup. */
    public static Tensor gatherRows(Tensor x, int[] index) {
        if (x.rank() < 1) throw new IllegalArgumentException("gatherRows: x must have rank >= 1");
        int rows = x.size(0), cols = x.numel() / Math.max(rows, 1);
        for (int i : index) Shapes.requireIndex("gatherRows", "row index", i, rows);
        int[] outShape = x.shape();
        outShape[0] = index.length;
        Tensor out = Tensor.zeros(outShape);
        Kernels.current().gatherRows(x.data, cols, index, out.data);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("gatherRows", x) {
            @Override
            void backward(float[] gy) {
                Kernels.current().scatterAddRows(gy, cols, index, x.gradBuffer());
            }
        });
    }

    /** A [numRows, ...] tensor whose row index[r] receives the sum of src rows r (index_add into zeros). */
    public static Tensor scatterAddRows(Tensor src, int[] index, int numRows) {
        if (src.rank() < 1 || src.size(0) != index.length) {
            throw new IllegalArgumentException("scatterAddRows: src " + Shapes.str(src.shape()) + " needs one row per index (" + index.length + ")");
        }
        for (int i : index) Shapes.requireIndex("scatterAddRows", "row index", i, numRows);
        int cols = src.numel() / Math.max(index.length, 1);
        if (index.length == 0) cols = Shapes.inner(src.shape(), 0);
        int[] outShape = src.shape();
        outShape[0] = numRows;
        Tensor out = Tensor.zeros(outShape);
        final int c = cols;
        Kernels.current().scatterAddRows(src.data, c, index, out.data);
        if (!Tensor.anyRequiresGrad(src)) return out;
        return out.recordedBy(new Node("scatterAddRows", src) {
            @Override
            void backward(float[] gy) {
                float[] g = ArrayCache.ofThread().zeroed(src.numel());
                Kernels.current().gatherRows(gy, c, index, g);
                src.takeGrad(g);
            }
        });
    }

    /** base + scatterAddRows(src, index): PyTorch's {@code index_add(0, index, src)}. */
    public static Tensor indexAdd(Tensor base, int[] index, Tensor src) {
        return Elementwise.add(base, scatterAddRows(src, index, base.size(0)));
    }

    /** Selects positions {@code index} along any axis (rows of a matrix for axis 0, columns for axis 1...). */
    public static Tensor indexSelect(Tensor x, int axis, int[] index) {
        int ax = Shapes.axis("indexSelect", axis, x.rank());
        if (ax == 0) return gatherRows(x, index);
        int[] s = x.shape();
        int outer = Shapes.outer(s, ax), n = s[ax], inner = Shapes.inner(s, ax);
        for (int i : index) Shapes.requireIndex("indexSelect", "index", i, n);
        int[] outShape = s.clone();
        outShape[ax] = index.length;
        Tensor out = Tensor.zeros(outShape);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < index.length; j++)
                System.arraycopy(x.data, (o * n + index[j]) * inner, out.data, (o * index.length + j) * inner, inner);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("indexSelect", x) {
            @Override
            void backward(float[] gy) {
                float[] g = x.gradBuffer();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < index.length; j++) {
                        int go = (o * n + index[j]) * inner, yo = (o * index.length + j) * inner;
                        for (int i = 0; i < inner; i++) g[go + i] += gy[yo + i];
                    }
            }
        });
    }

    /** Embedding lookup: rows of {@code weight} [vocab, dim] for token ids; the result has shape [ids..., dim]. */
    public static Tensor embedding(Tensor weight, int[] ids, int... idShape) {
        Shapes.requireRank("embedding", "weight", weight, 2);
        if (Shapes.numel(idShape) != ids.length) throw new IllegalArgumentException("embedding: id shape " + Shapes.str(idShape) + " does not hold " + ids.length + " ids");
        for (int id : ids) Shapes.requireIndex("embedding", "token id", id, weight.size(0));
        int[] outShape = java.util.Arrays.copyOf(idShape, idShape.length + 1);
        outShape[idShape.length] = weight.size(1);
        return Reshaping.reshape(gatherRows(weight, ids), outShape);
    }

    /** One-hot rows [n, classes] as a constant tensor. */
    public static Tensor oneHot(int[] index, int classes) {
        Tensor out = Tensor.zeros(index.length, classes);
        for (int r = 0; r < index.length; r++) {
            Shapes.requireIndex("oneHot", "class", index[r], classes);
            out.data[r * classes + index[r]] = 1f;
        }
        return out;
    }

    /** mask ? a : b element-wise (mask non-zero = true); the shapes must match. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        Shapes.requireSame("where", a, b);
        Shapes.requireSame("where", mask, a);
        Tensor out = Tensor.zeros(a.shape());
        int n = out.numel();
        for (int i = 0; i < n; i++) out.data[i] = mask.data[i] != 0 ? a.data[i] : b.data[i];
        if (!Tensor.anyRequiresGrad(a, b)) return out;
        return out.recordedBy(new Node("where", a, b) {
            @Override
            void backward(float[] gy) {
                for (int i = 0; i < n; i++) {
                    boolean m = mask.data[i] != 0;
                    if (m && needs(0)) a.gradBuffer()[i] += gy[i];
                    if (!m && needs(1)) b.gradBuffer()[i] += gy[i];
                }
            }
        });
    }

    /** x where mask is zero, {@code value} where it is non-zero (e.g. -inf for masked logits). */
    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        return where(mask, Tensor.full(value, x.shape()), x);
    }

    /** The k largest values along the last axis, in descending order, and their indices (constants). */
    public record TopK(Tensor values, int[] indices, int k) {
        /** Index of the j-th largest entry of row r. */
        public int index(int row, int j) {
            return indices[row * k + j];
        }
    }

    /** Top-k along the last axis; values are differentiable, ties go to the lower index. */
    public static TopK topK(Tensor x, int k) {
        int cols = x.size(-1), rows = x.numel() / Math.max(cols, 1);
        if (k < 1 || k > cols) throw new IllegalArgumentException("topK: k must be in [1, " + cols + "] for shape " + Shapes.str(x.shape()) + ", got " + k);
        int[] idx = new int[rows * k];
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = k;
        Tensor values = Tensor.zeros(outShape);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int c = 0; c < cols; c++) {
                    if (taken(idx, r * k, j, c)) continue;
                    if (best < 0 || x.data[off + c] > x.data[off + best]) best = c;
                }
                idx[r * k + j] = best;
                values.data[r * k + j] = x.data[off + best];
            }
        }
        if (Tensor.anyRequiresGrad(x)) {
            values.recordedBy(new Node("topK", x) {
                @Override
                void backward(float[] gy) {
                    float[] g = x.gradBuffer();
                    for (int r = 0; r < rows; r++) for (int j = 0; j < k; j++) g[r * cols + idx[r * k + j]] += gy[r * k + j];
                }
            });
        }
        return new TopK(values, idx, k);
    }

    private static boolean taken(int[] idx, int base, int count, int c) {
        for (int i = 0; i < count; i++) if (idx[base + i] == c) return true;
        return false;
    }
}
