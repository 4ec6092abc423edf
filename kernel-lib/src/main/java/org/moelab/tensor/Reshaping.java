package org.moelab.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layout ops. {@link #reshape} is a view (storage is contiguous, so it never copies); permute, transpose,
 * slice and concat copy. A copying transpose of 2048x64 floats costs about as much as an add, and the hot
 * path avoids it anyway: matmul takes transpose flags.
 */
public final class Reshaping {
    private Reshaping() {}

    /** Same values, new shape; one dimension may be -1 (inferred). */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] s = inferShape(x, shape);
        Tensor out = new Tensor(x.data, s);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("reshape", x) {
            @Override
            void backward(float[] gy) {
                // gy is this output's gradient, which the tape drops right after: hand it over.
                x.takeGrad(gy);
            }
        });
    }

    private static int[] inferShape(Tensor x, int[] shape) {
        int[] s = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("reshape: at most one -1 allowed in " + Arrays.toString(shape));
                unknown = i;
            } else {
                if (s[i] < 0) throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(shape));
                known *= s[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || x.numel() % known != 0) throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.shape()) + " into " + Arrays.toString(shape));
            s[unknown] = (int) (x.numel() / known);
        }
        if (Shapes.numel(s) != x.numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.shape()) + " (" + x.numel() + " values) into " + Arrays.toString(shape));
        }
        return s;
    }

    /** Reorders the axes: output axis i is input axis {@code order[i]}. */
    public static Tensor permute(Tensor x, int... order) {
        int rank = x.rank();
        if (order.length != rank) throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " must list all " + rank + " axes of " + Shapes.str(x.shape()));
        boolean[] seen = new boolean[rank];
        int[] in = x.shape(), outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            int a = Shapes.axis("permute", order[i], rank);
            if (seen[a]) throw new IllegalArgumentException("permute: axis " + a + " repeated in " + Arrays.toString(order));
            seen[a] = true;
            order[i] = a;
            outShape[i] = in[a];
        }
        int[] inStrides = Shapes.strides(in);
        int[] readStrides = new int[rank];
        for (int i = 0; i < rank; i++) readStrides[i] = inStrides[order[i]];
        Tensor out = Tensor.zeros(outShape);
        copyStrided(x.data, readStrides, outShape, out.data, false);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("permute", x) {
            @Override
            void backward(float[] gy) {
                copyStrided(gy, readStrides, outShape, x.gradBuffer(), true);
            }
        });
    }

    /**
     * Walks {@code shape} in row-major order over a contiguous {@code dense} array and a strided {@code strided}
     * view. Forward reads strided into dense; with {@code scatterBack} it adds dense into the strided positions.
     */
    private static void copyStrided(float[] src, int[] strides, int[] shape, float[] dst, boolean scatterBack) {
        int rank = shape.length, n = Shapes.numel(shape);
        if (rank > 1 && strides[rank - 1] == 1) {
            copyRuns(src, strides, shape, dst, scatterBack, n);
            return;
        }
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; i < n; i++) {
            if (scatterBack) dst[off] += src[i];
            else dst[i] = src[off];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) break;
                off -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /**
     * {@link #copyStrided} when the last axis stays last (contiguous on both sides), as in the head split and
     * merge of attention, permute(0, 2, 1, 3): whole runs move at once and the odometer ticks once per run, not
     * once per element. The per-element walk was the top frame of a training step's profile.
     */
    private static void copyRuns(float[] src, int[] strides, int[] shape, float[] dst, boolean scatterBack, int n) {
        int rank = shape.length, run = shape[rank - 1];
        if (run == 0) return;
        int[] idx = new int[rank - 1];
        int off = 0;
        for (int i = 0; i < n; i += run) {
            if (scatterBack) {
                for (int j = 0; j < run; j++) dst[off + j] += src[i + j];
            } else {
                System.arraycopy(src, off, dst, i, run);
            }
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) break;
                off -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int[] order = new int[x.rank()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int a = Shapes.axis("transpose", axis0, x.rank()), b = Shapes.axis("transpose", axis1, x.rank());
        order[a] = b;
        order[b] = a;
        return permute(x, order);
    }

    /** Joins tensors along an axis; all other dimensions must match. */
    public static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        int rank = xs[0].rank();
        int ax = Shapes.axis("concat", axis, rank);
        int[] shape = xs[0].shape();
        int total = 0;
        for (Tensor t : xs) {
            int[] s = t.shape();
            boolean ok = s.length == rank;
            for (int i = 0; ok && i < rank; i++) ok = i == ax || s[i] == shape[i];
            if (!ok) throw new IllegalArgumentException("concat: shapes " + Shapes.str(shape) + " and " + Shapes.str(s) + " differ outside axis " + ax);
            total += s[ax];
        }
        int outer = Shapes.outer(shape, ax), inner = Shapes.inner(shape, ax);
        int[] outShape = shape.clone();
        outShape[ax] = total;
        Tensor out = Tensor.zeros(outShape);
        int rowOut = total * inner, start = 0;
        int[] starts = new int[xs.length];
        for (int t = 0; t < xs.length; t++) {
            starts[t] = start;
            int len = xs[t].size(ax) * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(xs[t].data, o * len, out.data, o * rowOut + start * inner, len);
            start += xs[t].size(ax);
        }
        if (!Tensor.anyRequiresGrad(xs)) return out;
        return out.recordedBy(new Node("concat", xs) {
            @Override
            void backward(float[] gy) {
                for (int t = 0; t < xs.length; t++) {
                    if (!needs(t)) continue;
                    float[] g = xs[t].gradBuffer();
                    int len = xs[t].size(ax) * inner;
                    for (int o = 0; o < outer; o++) {
                        int go = o * rowOut + starts[t] * inner;
                        for (int i = 0; i < len; i++) g[o * len + i] += gy[go + i];
                    }
                }
            }
        });
    }

    /** The range [start, end) of an axis, copied. */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        int ax = Shapes.axis("slice", axis, x.rank());
        int[] s = x.shape();
        if (start < 0 || end > s[ax] || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is outside axis " + ax + " of size " + s[ax] + " (shape " + Shapes.str(s) + ")");
        }
        int outer = Shapes.outer(s, ax), inner = Shapes.inner(s, ax), len = (end - start) * inner, row = s[ax] * inner;
        int[] outShape = s.clone();
        outShape[ax] = end - start;
        Tensor out = Tensor.zeros(outShape);
        for (int o = 0; o < outer; o++) System.arraycopy(x.data, o * row + start * inner, out.data, o * len, len);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("slice", x) {
            @Override
            void backward(float[] gy) {
                float[] g = x.gradBuffer();
                for (int o = 0; o < outer; o++) {
                    int gb = o * row + start * inner;
                    for (int i = 0; i < len; i++) g[gb + i] += gy[o * len + i];
                }
            }
        });
    }

    /** Cuts an axis into consecutive pieces of the given sizes (they must add up to the axis). */
    public static List<Tensor> split(Tensor x, int axis, int... sizes) {
        int ax = Shapes.axis("split", axis, x.rank());
        int sum = Arrays.stream(sizes).sum();
        if (sum != x.size(ax)) throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum + " but axis " + ax + " of " + Shapes.str(x.shape()) + " has " + x.size(ax));
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int size : sizes) {
            parts.add(slice(x, ax, start, start + size));
            start += size;
        }
        return parts;
    }
}
