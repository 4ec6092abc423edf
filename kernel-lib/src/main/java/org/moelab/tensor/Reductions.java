package org.moelab.tensor;

/** Sums, means, maxima and running sums over one axis or over everything. */
public final class Reductions {
    private Reductions() {}

    public static Tensor sum(Tensor x) {
        return sum(Reshaping.reshape(x, x.numel()), 0, false);
    }

    public static Tensor mean(Tensor x) {
        return Elementwise.affine(sum(x), 1f / Math.max(1, x.numel()), 0f);
    }

    public static Tensor sum(Tensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis("sum", axis, x.rank());
        int[] s = x.shape();
        int outer = Shapes.outer(s, ax), n = s[ax], inner = Shapes.inner(s, ax);
        Tensor out = Tensor.zeros(reducedShape(s, ax, keepDim));
        Kernels.current().sumAxis(x.data, outer, n, inner, out.data);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("sum", x) {
            @Override
            void backward(float[] gy) {
                float[] gx = x.gradBuffer();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < n; j++) {
                        int xb = (o * n + j) * inner, gb = o * inner;
                        for (int i = 0; i < inner; i++) gx[xb + i] += gy[gb + i];
                    }
            }
        });
    }

    public static Tensor mean(Tensor x, int axis, boolean keepDim) {
        int n = x.size(axis);
        return Elementwise.affine(sum(x, axis, keepDim), 1f / n, 0f);
    }

    /** Maximum over an axis; the gradient goes to the first position holding the maximum. */
    public static Tensor max(Tensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis("max", axis, x.rank());
        int[] s = x.shape();
        int outer = Shapes.outer(s, ax), n = s[ax], inner = Shapes.inner(s, ax);
        if (n == 0) throw new IllegalArgumentException("max: axis " + axis + " of shape " + Shapes.str(s) + " is empty");
        Tensor out = Tensor.zeros(reducedShape(s, ax, keepDim));
        int[] arg = new int[outer * inner];
        Kernels.current().maxAxis(x.data, outer, n, inner, out.data, arg);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("max", x) {
            @Override
            void backward(float[] gy) {
                float[] gx = x.gradBuffer();
                for (int o = 0; o < outer; o++)
                    for (int i = 0; i < inner; i++) gx[(o * n + arg[o * inner + i]) * inner + i] += gy[o * inner + i];
            }
        });
    }

    /** Running sum along an axis. */
    public static Tensor cumsum(Tensor x, int axis) {
        int ax = Shapes.axis("cumsum", axis, x.rank());
        int[] s = x.shape();
        int outer = Shapes.outer(s, ax), n = s[ax], inner = Shapes.inner(s, ax);
        Tensor out = Tensor.zeros(s);
        Kernels.current().cumsum(x.data, outer, n, inner, false, out.data);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("cumsum", x) {
            @Override
            void backward(float[] gy) {
                float[] rev = ArrayCache.ofThread().zeroed(gy.length);
                Kernels.current().cumsum(gy, outer, n, inner, true, rev);
                float[] gx = x.gradBuffer();
                for (int i = 0; i < rev.length; i++) gx[i] += rev[i];
                ArrayCache.ofThread().giveBack(rev);
            }
        });
    }

    static int[] reducedShape(int[] s, int ax, boolean keepDim) {
        if (keepDim) {
            int[] r = s.clone();
            r[ax] = 1;
            return r;
        }
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != ax) r[j++] = s[i];
        return r;
    }

}
