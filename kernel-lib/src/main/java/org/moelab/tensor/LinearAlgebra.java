package org.moelab.tensor;

import java.util.Arrays;

/** Matrix products on the GEMM kernel, with transpose flags so no operand is ever copied to transpose it. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * op(a)·op(b), op = transpose of the last two axes when its flag is set. Shapes: [m,k]·[k,n]; [..., m, k]·[k, n]
     * (leading axes of a flattened into rows); or batched [B..., m, k]·[B..., k, n] with equal batch axes.
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: both operands need rank >= 2, got " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()));
        }
        int[] as = a.shape(), bs = b.shape();
        boolean batched = b.rank() > 2;
        if (!batched && transA && a.rank() > 2) {
            throw new IllegalArgumentException("matmul: transA with a rank-" + a.rank() + " left operand needs a batched right operand, got " + Shapes.str(bs));
        }
        int m, k, batch = 1;
        if (batched) {
            if (a.rank() != b.rank() || !Arrays.equals(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2))) {
                throw new IllegalArgumentException("matmul: batch axes differ: " + Shapes.str(as) + " vs " + Shapes.str(bs));
            }
            batch = Shapes.outer(as, as.length - 2);
            m = transA ? as[as.length - 1] : as[as.length - 2];
            k = transA ? as[as.length - 2] : as[as.length - 1];
        } else {
            int rows = Shapes.outer(as, as.length - 1);
            m = transA ? as[1] : rows;
            k = transA ? as[0] : as[as.length - 1];
        }
        int kb = transB ? bs[bs.length - 1] : bs[bs.length - 2];
        int n = transB ? bs[bs.length - 2] : bs[bs.length - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(as) + (transA ? "ᵀ" : "")
                    + " · " + Shapes.str(bs) + (transB ? "ᵀ" : "") + " (" + k + " vs " + kb + ")");
        }
        int[] outShape;
        if (batched) {
            outShape = as.clone();
            outShape[as.length - 2] = m;
            outShape[as.length - 1] = n;
        } else if (transA) {
            outShape = new int[] {m, n};
        } else {
            outShape = as.clone();
            outShape[as.length - 1] = n;
        }
        Tensor out = Tensor.zeros(outShape);
        final int fm = m, fk = k, fn = n, fb = batch;
        Kernels kern = Kernels.current();
        for (int i = 0; i < batch; i++) {
            kern.gemm(transA, transB, m, n, k, 1f, a.data, i * m * k, b.data, batched ? i * k * n : 0, 0f, out.data, i * m * n);
        }
        if (!Tensor.anyRequiresGrad(a, b)) return out;
        return out.recordedBy(new Node("matmul", a, b) {
            @Override
            void backward(float[] gy) {
                Kernels kern = Kernels.current();
                for (int i = 0; i < fb; i++) {
                    int ao = i * fm * fk, bo = batched ? i * fk * fn : 0, go = i * fm * fn;
                    if (needs(0)) {
                        if (!transA) kern.gemm(false, !transB, fm, fk, fn, 1f, gy, go, b.data, bo, 1f, a.gradBuffer(), ao);
                        else kern.gemm(transB, true, fk, fm, fn, 1f, b.data, bo, gy, go, 1f, a.gradBuffer(), ao);
                    }
                    if (needs(1)) {
                        if (!transB) kern.gemm(!transA, false, fk, fn, fm, 1f, a.data, ao, gy, go, 1f, b.gradBuffer(), bo);
                        else kern.gemm(true, transA, fn, fk, fm, 1f, gy, go, a.data, ao, 1f, b.gradBuffer(), bo);
                    }
                }
            }
        });
    }
}
