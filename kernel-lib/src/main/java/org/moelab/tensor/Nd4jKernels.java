package org.moelab.tensor;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every {@link Kernels} primitive as ND4J INDArray operations: the route to ND4J's CUDA backend (build with
 * {@code -Pcuda}) and an independent cross-check of {@link CpuKernels} in tests.
 *
 * <p>Each call copies its {@code float[]} operands into c-order FLOAT INDArrays, computes with ND4J ops only (no
 * Java loop over elements) and copies the result back; "backward" primitives do their {@code +=} in ND4J too.
 * The copies make this slower than {@link CpuKernels} on a CPU; it exists for the backend switch and for
 * agreement, not for speed.
 *
 * <p>Where ND4J 1.0.0-M2.1 computes something else than our contract, the primitive is composed from ops that
 * do match, with a comment saying why.
 */
public final class Nd4jKernels implements Kernels {
    private static final DataType F = DataType.FLOAT;
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    @Override
    public String name() {
        return "nd4j";
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        if (m == 0 || n == 0) return;
        // On the CPU backend ND4J's GEMM is OpenBLAS's, whose bits depend on its thread count: keep it at one thread.
        BlasGemm.singleThreaded();
        // beta = 0 means "overwrite" (BLAS convention), so C is not read then: 0·NaN must not leak through.
        INDArray cm = beta == 0 ? Nd4j.zeros(F, m, n) : wrap(c, cOffset, m, n);
        if (k == 0) {
            // No products to sum: C = beta·C. ND4J cannot multiply [m,0]·[0,n].
            store(cm.muli(beta), c, cOffset);
            return;
        }
        INDArray am = transA ? wrap(a, aOffset, k, m) : wrap(a, aOffset, m, k);
        INDArray bm = transB ? wrap(b, bOffset, n, k) : wrap(b, bOffset, k, n);
        // Nd4j.gemm (an Mmul op), not INDArray.mmul: the latter is 2-4x slower on c-order arrays.
        Nd4j.gemm(am, bm, cm, transA, transB, alpha, beta);
        store(cm, c, cOffset);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(Unary op, float[] x, float[] y, int n) {
        if (n == 0) return;
        INDArray v = wrap(x, 0, n);
        INDArray r = switch (op) {
            case EXP -> Transforms.exp(v, false);
            case LOG -> Transforms.log(v, false);
            case TANH -> Transforms.tanh(v, false);
            case SIGMOID -> Transforms.sigmoid(v, false);
            case RELU -> Transforms.relu(v, false);
            case GELU -> gelu(v);
            case SILU -> Nd4j.exec(new Swish(v));
            case SQRT -> Transforms.sqrt(v, false);
            case NEG -> v.negi();
            case SQUARE -> v.muli(v);
            case ABS -> Transforms.abs(v, false);
        };
        store(r, y, 0);
    }

    /**
     * GELU, tanh approximation, composed: ND4J M2.1's {@code GELU} is the sigmoid approximation x·σ(1.702x), and its
     * {@code PreciseGELU} does not match the tanh formula either (−0.0247 against −0.0036 at x = −3).
     */
    private static INDArray gelu(INDArray x) {
        INDArray t = geluTanh(x);
        return t.addi(1).muli(x).muli(0.5);
    }

    /** tanh(√(2/π)·(x + 0.044715·x³)). */
    private static INDArray geluTanh(INDArray x) {
        INDArray inner = x.mul(x).muli(GELU_A).addi(1).muli(x).muli(GELU_C);
        return Transforms.tanh(inner, false);
    }

    @Override
    public void unaryBackward(Unary op, float[] x, float[] y, float[] gy, float[] gx, int n) {
        if (n == 0) return;
        INDArray g = wrap(gy, 0, n);
        INDArray delta = switch (op) {
            case EXP -> g.muli(wrap(y, 0, n));
            case LOG -> g.divi(wrap(x, 0, n));
            case TANH -> {
                INDArray yv = wrap(y, 0, n);
                yield g.muli(yv.muli(yv).rsubi(1));
            }
            case SIGMOID -> {
                INDArray yv = wrap(y, 0, n);
                yield g.muli(yv.mul(yv.rsub(1)));
            }
            case RELU -> g.muli(wrap(x, 0, n).gt(0).castTo(F));
            case GELU -> g.muli(geluDerivative(wrap(x, 0, n)));
            case SILU -> g.muli(Nd4j.exec(new SwishDerivative(wrap(x, 0, n))));
            case SQRT -> g.muli(wrap(y, 0, n).rdivi(0.5));
            case NEG -> g.negi();
            case SQUARE -> g.muli(wrap(x, 0, n).muli(2));
            case ABS -> g.muli(Transforms.sign(wrap(x, 0, n), false));
        };
        accumulate(delta, gx, 0);
    }

    /** d/dx of the tanh-approximated GELU: ½(1+t) + ½x(1−t²)·√(2/π)(1 + 3·0.044715·x²), t = {@link #geluTanh}. */
    private static INDArray geluDerivative(INDArray x) {
        INDArray t = geluTanh(x);
        INDArray dInner = x.mul(x).muli(3 * GELU_A).addi(1).muli(GELU_C);
        INDArray slope = t.mul(t).rsubi(1).muli(x).muli(0.5).muli(dInner);
        return t.addi(1).muli(0.5).addi(slope);
    }

    @Override
    public void affine(float[] x, float scale, float shift, float[] y, int n) {
        if (n == 0) return;
        store(wrap(x, 0, n).muli(scale).addi(shift), y, 0);
    }

    @Override
    public void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        if (out.length == 0) return;
        // Both operands padded with leading ones to the output's rank; the pairwise custom ops then broadcast
        // numpy-style on either side (the legacy Broadcast* ops only broadcast the second operand).
        int rank = Math.max(outShape.length, 1);
        INDArray av = wrap(a, 0, longs(padded(aShape, rank)));
        INDArray bv = wrap(b, 0, longs(padded(bShape, rank)));
        INDArray z = Nd4j.createUninitialized(F, longs(padded(outShape, rank)), 'c');
        CustomOp o = switch (op) {
            case ADD -> new AddOp(av, bv, z);
            case SUB -> new SubOp(av, bv, z);
            case MUL -> new MulOp(av, bv, z);
            case DIV -> new DivOp(av, bv, z);
        };
        Nd4j.exec(o);
        store(z, out, 0);
    }

    @Override
    public void reduceToShape(float[] g, int[] gShape, float[] out, int[] outShape) {
        if (g.length == 0 || out.length == 0) return;
        int rank = Math.max(gShape.length, 1);
        int[] gs = padded(gShape, rank), os = padded(outShape, rank);
        int[] dims = IntStream.range(0, rank).filter(d -> os[d] == 1 && gs[d] != 1).toArray();
        INDArray gv = wrap(g, 0, longs(gs));
        INDArray summed = dims.length == 0 ? gv : gv.sum(true, dims);
        accumulate(flat(summed), out, 0);
    }

    // ---------------------------------------------------------------- reductions and scans

    @Override
    public void sumAxis(float[] x, int outer, int n, int inner, float[] out) {
        if (outer * inner == 0) return;
        INDArray r = n == 0 ? Nd4j.zeros(F, outer, inner) : wrap(x, 0, outer, n, inner).sum(1);
        store(r, out, 0);
    }

    @Override
    public void maxAxis(float[] x, int outer, int n, int inner, float[] out, int[] argmax) {
        if (outer * inner == 0) return;
        INDArray v = wrap(x, 0, outer, n, inner);
        store(v.max(1), out, 0);
        INDArray indices = v.argMax(1).castTo(DataType.INT32);
        int[] idx = flat(indices).toIntVector();
        System.arraycopy(idx, 0, argmax, 0, idx.length);
    }

    @Override
    public void cumsum(float[] x, int outer, int n, int inner, boolean reverse, float[] y) {
        if (outer * n * inner == 0) return;
        INDArray v = wrap(x, 0, outer, n, inner);
        INDArray r = Nd4j.createUninitialized(F, new long[] {outer, n, inner}, 'c');
        Nd4j.exec(new CumSum(v, r, false, reverse, 1));
        store(r, y, 0);
    }

    // ---------------------------------------------------------------- softmax

    @Override
    public void softmax(float[] x, int rows, int cols, boolean log, boolean causal, float[] y) {
        if (rows * cols == 0) return;
        INDArray v = wrap(x, 0, rows, cols);
        // Masked entries become -inf before the softmax: exp gives exactly 0 (log-softmax: -inf), and the
        // diagonal always stays valid, so every row keeps a finite maximum.
        if (causal) v.addi(causalMask(rows, cols));
        INDArray r = Nd4j.createUninitialized(F, new long[] {rows, cols}, 'c');
        // Both over the last axis; LogSoftMax(x, dim) in M2.1 drops its dimension argument, so the (x, z) form
        // with libnd4j's default (last axis) is used.
        Nd4j.exec(log ? new LogSoftMax(v, r) : new SoftMax(v, r, 1));
        store(r, y, 0);
    }

    /** [rows, cols]: 0 where row r (within its square block of {@code cols} rows) may see column j ≤ r, else -inf. */
    private static INDArray causalMask(int rows, int cols) {
        INDArray block = Transforms.log(Nd4j.tri(cols).castTo(F), false); // log(1) = 0, log(0) = -inf
        int blocks = (rows + cols - 1) / cols;
        INDArray tiled = Nd4j.tile(block, blocks, 1);
        return blocks * cols == rows ? tiled : tiled.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).dup('c');
    }

    @Override
    public void softmaxBackward(float[] y, float[] gy, int rows, int cols, boolean log, float[] gx) {
        if (rows * cols == 0) return;
        INDArray yv = wrap(y, 0, rows, cols), g = wrap(gy, 0, rows, cols);
        INDArray delta;
        if (log) {
            // gx += gy − softmax·Σgy, softmax = exp(log-softmax) (masked entries: exp(-inf) = 0)
            INDArray total = g.sum(true, 1);
            delta = g.sub(Transforms.exp(yv, false).muliColumnVector(total));
        } else {
            // gx += y·(gy − Σ gy·y)
            INDArray dot = g.mul(yv).sum(true, 1);
            delta = g.subiColumnVector(dot).muli(yv);
        }
        accumulate(delta, gx, 0);
    }

    // ---------------------------------------------------------------- norms

    @Override
    public void norm(float[] x, float[] gamma, float[] beta, int rows, int cols, float eps, boolean rms,
                     float[] y, float[] mean, float[] rstd) {
        if (rows == 0) return;
        INDArray xv = wrap(x, 0, rows, cols);
        INDArray mu = rms ? Nd4j.zeros(F, rows, 1) : xv.mean(true, 1);
        INDArray centered = xv.subColumnVector(mu);
        // Population variance (divide by cols), composed as mean of squares so RMSNorm shares the path.
        INDArray var = centered.mul(centered).mean(true, 1);
        INDArray rs = Transforms.sqrt(var.addi(eps), false).rdivi(1);
        INDArray out = centered.muliColumnVector(rs).muliRowVector(wrap(gamma, 0, cols));
        if (beta != null) out.addiRowVector(wrap(beta, 0, cols));
        store(out, y, 0);
        store(mu, mean, 0);
        store(rs, rstd, 0);
    }

    @Override
    public void normBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] gy, int rows, int cols,
                             boolean rms, float[] gx, float[] ggamma, float[] gbeta) {
        if (rows == 0) return;
        INDArray g = wrap(gy, 0, rows, cols);
        INDArray rs = wrap(rstd, 0, rows, 1);
        INDArray xhat = wrap(x, 0, rows, cols).subiColumnVector(wrap(mean, 0, rows, 1)).muliColumnVector(rs);
        if (ggamma != null) accumulate(g.mul(xhat).sum(0), ggamma, 0);
        if (gbeta != null) accumulate(g.sum(0), gbeta, 0);
        if (gx == null) return;
        // gx += rstd·(d − mean(d) − xhat·mean(d·xhat)), d = gy·gamma; RMSNorm has no mean(d) term.
        INDArray d = g.mulRowVector(wrap(gamma, 0, cols));
        INDArray meanDX = d.mul(xhat).mean(true, 1);
        INDArray inner = d.sub(xhat.muliColumnVector(meanDX));
        if (!rms) inner.subiColumnVector(d.mean(true, 1));
        accumulate(inner.muliColumnVector(rs), gx, 0);
    }

    // ---------------------------------------------------------------- rows

    @Override
    public void gatherRows(float[] x, int cols, int[] index, float[] out) {
        if (index.length == 0 || cols == 0) return;
        INDArray src = wrap(x, 0, x.length / cols, cols);
        store(Nd4j.pullRows(src, 1, index), out, 0);
    }

    @Override
    public void scatterAddRows(float[] src, int cols, int[] index, float[] out) {
        if (index.length == 0 || cols == 0) return;
        INDArray ref = wrap(out, 0, out.length / cols, cols);
        ScatterAdd op = new ScatterAdd(ref, Nd4j.createFromArray(index), wrap(src, 0, index.length, cols));
        op.addOutputArgument(ref);
        // "lock": without it libnd4j splits the indices across threads and duplicate rows race.
        op.addBArgument(true);
        Nd4j.exec(op);
        store(ref, out, 0);
    }

    // ---------------------------------------------------------------- convolution

    /*
     * Composed from shifted slices, one per tap: with x zero-padded by width-1 steps in front, tap j reads the
     * time window [j, j+time) of the padded input. ND4J's conv1d has no depthwise-causal mode with this layout.
     */

    @Override
    public void causalConv1d(float[] x, float[] w, int batch, int time, int channels, int width, float[] y) {
        if (batch * time * channels == 0) return;
        INDArray xp = padTime(wrap(x, 0, batch, time, channels), width - 1, true);
        INDArray wm = wrap(w, 0, channels, width);
        INDArray acc = Nd4j.zeros(F, batch, time, channels);
        for (int j = 0; j < width; j++) acc.addi(perChannel(timeWindow(xp, j, time), wm.getColumn(j)));
        store(acc, y, 0);
    }

    @Override
    public void causalConv1dBackward(float[] x, float[] w, float[] gy, int batch, int time, int channels, int width,
                                     float[] gx, float[] gw) {
        if (batch * time * channels == 0) return;
        INDArray g = wrap(gy, 0, batch, time, channels);
        INDArray wm = wrap(w, 0, channels, width);
        if (gx != null) {
            // x[s] feeds y[s + width-1-j] through tap j, so gx sums gy shifted back, padded at the end.
            INDArray gp = padTime(g, width - 1, false);
            INDArray acc = Nd4j.zeros(F, batch, time, channels);
            for (int j = 0; j < width; j++) acc.addi(perChannel(timeWindow(gp, width - 1 - j, time), wm.getColumn(j)));
            accumulate(acc, gx, 0);
        }
        if (gw != null) {
            INDArray xp = padTime(wrap(x, 0, batch, time, channels), width - 1, true);
            INDArray dw = Nd4j.zeros(F, channels, width);
            for (int j = 0; j < width; j++) dw.putColumn(j, timeWindow(xp, j, time).mul(g).sum(0, 1).reshape(channels, 1));
            accumulate(dw, gw, 0);
        }
    }

    /** [batch, time+pad, channels]: zeros before (front) or after the time axis. */
    private static INDArray padTime(INDArray v, int pad, boolean front) {
        if (pad == 0) return v;
        INDArray zeros = Nd4j.zeros(F, v.size(0), pad, v.size(2));
        return front ? Nd4j.concat(1, zeros, v) : Nd4j.concat(1, v, zeros);
    }

    /** Time steps [from, from+len) of a [batch, time, channels] array, as a contiguous copy. */
    private static INDArray timeWindow(INDArray v, int from, int len) {
        return v.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + len), NDArrayIndex.all()).dup('c');
    }

    /** v[b, t, c]·w[c] for a [batch, time, channels] array and a per-channel weight vector. */
    private static INDArray perChannel(INDArray v, INDArray w) {
        return Broadcast.mul(v, w.reshape(w.length()).dup('c'), v.ulike(), 2);
    }

    // ---------------------------------------------------------------- transfer between float[] and ND4J

    /** A c-order FLOAT INDArray holding a copy of {@code data[offset, offset + product(shape))}. */
    private static INDArray wrap(float[] data, int offset, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] values = offset == 0 && data.length == n ? data : Arrays.copyOfRange(data, offset, offset + (int) n);
        return Nd4j.create(values, shape, 'c');
    }

    /** Writes {@code v}'s values in row-major order into {@code dst} from {@code offset}. */
    private static void store(INDArray v, float[] dst, int offset) {
        INDArray c = v.dataType() == F ? v : v.castTo(F);
        // A view (offset, strides, or a larger buffer) is first made a contiguous c-order copy.
        if (c.ordering() != 'c' || c.isView() || c.data().length() != c.length()) c = c.dup('c');
        System.arraycopy(c.data().asFloat(), 0, dst, offset, (int) c.length());
    }

    /** dst[offset ...] += delta, the addition done by ND4J. */
    private static void accumulate(INDArray delta, float[] dst, int offset) {
        INDArray current = wrap(dst, offset, delta.shape());
        store(current.addi(delta), dst, offset);
    }

    /** A rank-1 c-order view or copy. (Not {@code reshape('c', n)}: the char widens into a dimension there.) */
    private static INDArray flat(INDArray v) {
        return v.reshape('c', new long[] {v.length()});
    }

    /** {@code shape} with leading ones up to {@code rank}. */
    private static int[] padded(int[] shape, int rank) {
        int[] p = new int[rank];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }

    private static long[] longs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
