package org.moelab.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The default kernels: Java loops that the JIT vectorises, the Vector API for exp/tanh/log and reductions
 * ({@link VectorMath}: the same bits interpreted or compiled), and GEMM in the OpenBLAS that ships with ND4J's CPU
 * backend, called through JavaCPP on the heap arrays themselves. Every result is the same on any thread count:
 * work is cut by {@link Parallel} into chunks fixed by the problem size, and partial sums add up in chunk order.
 *
 * <p>Why not {@code Nd4j.gemm}: it needs the operands in ND4J buffers, and copying in and out costs more than
 * the GEMM at our sizes (2048x64x64: 0.76 ms with copies against 0.20 ms for {@code cblas_sgemm} on the arrays;
 * measured on this machine). It is the same OpenBLAS 0.3.19 build either way. {@link BlasGemm} explains how the
 * arrays reach it, and how large products are split over {@link Parallel}'s threads.
 */
public final class CpuKernels implements Kernels {
    /** The vector species of the explicit element-wise loops ({@link VectorMath#SPECIES}: 256 bits, and why). */
    private static final VectorSpecies<Float> V = VectorMath.SPECIES;

    @Override
    public String name() {
        return "cpu";
    }

    /** Every primitive writes only its output range, and GEMM buffers are per thread ({@link BlasGemm}). */
    @Override
    public boolean threadSafe() {
        return true;
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            scaleRange(c, cOffset, m * n, beta);
            return;
        }
        BlasGemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    private static void scaleRange(float[] c, int off, int n, float beta) {
        for (int i = 0; i < n; i++) c[off + i] = beta == 0 ? 0 : c[off + i] * beta;
    }

    // ---------------------------------------------------------------- attention

    /**
     * Heads up to this width run the fused Java kernel ({@link AttentionKernels#fused}); wider heads run per-head
     * OpenBLAS GEMMs, which win once a head's products are large enough to amortise JNI and the head copies
     * (measured crossover: see bench/README.md). {@code -Dmoelab.fusedAttentionMaxHead=N} overrides it.
     */
    static final int FUSED_ATTENTION_MAX_HEAD = Integer.getInteger("moelab.fusedAttentionMaxHead", 64);

    @Override
    public void attention(float[] q, float[] k, float[] v, int batch, int time, int heads, int dHead, boolean causal,
                          float scale, float[] out, float[] probs) {
        if (dHead <= FUSED_ATTENTION_MAX_HEAD) {
            AttentionKernels.fused(q, k, v, batch, time, heads, dHead, causal, scale, out, probs);
        } else {
            AttentionKernels.viaGemm(this, q, k, v, batch, time, heads, dHead, causal, scale, out, probs);
        }
    }

    @Override
    public void attentionBackward(float[] q, float[] k, float[] v, float[] probs, float[] gy, int batch, int time,
                                  int heads, int dHead, boolean causal, float scale, float[] gq, float[] gk, float[] gv) {
        if (dHead <= FUSED_ATTENTION_MAX_HEAD) {
            AttentionKernels.fusedBackward(q, k, v, probs, gy, batch, time, heads, dHead, causal, scale, gq, gk, gv);
        } else {
            AttentionKernels.viaGemmBackward(this, q, k, v, probs, gy, batch, time, heads, dHead, causal, scale, gq, gk, gv);
        }
    }

    // ---------------------------------------------------------------- element-wise

    /**
     * Elements per chunk below which a loop stays on one thread: a hand-off to {@link Parallel}'s pool costs a few
     * microseconds, about what 32K simple element-wise steps take.
     */
    static final int GRAIN = 1 << 15;

    /** Rows per chunk so that a chunk holds at least {@link #GRAIN} elements. */
    static int rowGrain(int cols) {
        return Math.max(1, GRAIN / Math.max(1, cols));
    }

    @Override
    public void unary(Unary op, float[] x, float[] y, int n) {
        Parallel.forRange(n, GRAIN, (from, to) -> unaryRange(op, x, y, from, to));
    }

    private static void unaryRange(Unary op, float[] x, float[] y, int from, int to) {
        switch (op) {
            case EXP -> VectorMath.exp(x, y, from, to);
            case LOG -> VectorMath.log(x, y, from, to);
            case TANH -> VectorMath.tanh(x, y, from, to);
            case SIGMOID -> VectorMath.sigmoid(x, y, from, to);
            case GELU -> VectorMath.gelu(x, y, from, to);
            case SILU -> VectorMath.silu(x, y, from, to);
            case RELU -> { for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0f); }
            case SQRT -> { for (int i = from; i < to; i++) y[i] = (float) Math.sqrt(x[i]); }
            case NEG -> { for (int i = from; i < to; i++) y[i] = -x[i]; }
            case SQUARE -> { for (int i = from; i < to; i++) y[i] = x[i] * x[i]; }
            case ABS -> { for (int i = from; i < to; i++) y[i] = Math.abs(x[i]); }
        }
    }

    @Override
    public void unaryBackward(Unary op, float[] x, float[] y, float[] gy, float[] gx, int n) {
        Parallel.forRange(n, GRAIN, (from, to) -> unaryBackwardRange(op, x, y, gy, gx, from, to));
    }

    private static void unaryBackwardRange(Unary op, float[] x, float[] y, float[] gy, float[] gx, int from, int to) {
        switch (op) {
            case EXP -> { for (int i = from; i < to; i++) gx[i] += gy[i] * y[i]; }
            case LOG -> { for (int i = from; i < to; i++) gx[i] += gy[i] / x[i]; }
            case TANH -> { for (int i = from; i < to; i++) gx[i] += gy[i] * (1 - y[i] * y[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) gx[i] += gy[i] * y[i] * (1 - y[i]); }
            case RELU -> { for (int i = from; i < to; i++) if (x[i] > 0) gx[i] += gy[i]; }
            case GELU -> VectorMath.geluBackward(x, gy, gx, from, to);
            case SILU -> {
                for (int i = from; i < to; i++) {
                    float s = x[i] == 0 ? 0.5f : y[i] / x[i];
                    if (!Float.isFinite(s)) s = FloatMath.sigmoid(x[i]);
                    gx[i] += gy[i] * (s + x[i] * s * (1 - s));
                }
            }
            case SQRT -> { for (int i = from; i < to; i++) gx[i] += gy[i] * 0.5f / y[i]; }
            case NEG -> { for (int i = from; i < to; i++) gx[i] -= gy[i]; }
            case SQUARE -> { for (int i = from; i < to; i++) gx[i] += gy[i] * 2 * x[i]; }
            case ABS -> { for (int i = from; i < to; i++) gx[i] += gy[i] * Math.signum(x[i]); }
        }
    }

    @Override
    public void affine(float[] x, float scale, float shift, float[] y, int n) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) y[i] = x[i] * scale + shift;
        });
    }

    @Override
    public void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        int n = out.length;
        if (a.length == n && b.length == n) {
            Parallel.forRange(n, GRAIN, (from, to) -> sameShapeOp(op, a, b, out, from, to));
            return;
        }
        int cols = outShape.length == 0 ? 1 : outShape[outShape.length - 1];
        if (a.length == n && bShape.length > 0 && bShape[bShape.length - 1] == 1 && (long) b.length * cols == n && cols > 1) {
            // b is a column ([..., 1], one value per row of a): a per-row scale or shift (router weights, norms).
            Parallel.forRange(b.length, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) columnOp(op, a, r * cols, b[r], out, cols);
            });
            return;
        }
        if (a.length == n && isTrailing(bShape, outShape) && b.length > 0) {
            int m = b.length;
            Parallel.forRange(n / m, rowGrain(m), (r0, r1) -> {
                for (int r = r0; r < r1; r++) rowOp(op, a, r * m, b, out, m);
            });
            return;
        }
        int rank = outShape.length;
        int[] as = broadcastStrides(aShape, outShape), bs = broadcastStrides(bShape, outShape);
        // Walk the output row by row with an odometer over the leading dims, reading a and b through broadcast
        // strides (0 on expanded dims). When both operands have the full last axis and broadcast only over leading
        // ones ([B, N, D] op [B, 1, D], the adaLN modulations), a row is whole rows against whole rows (rowPairOp's
        // vector loop); otherwise a strided tight loop. Each element is the same single operation either way.
        int last = rank == 0 ? 1 : outShape[rank - 1];
        int aStep = rank == 0 ? 0 : as[rank - 1], bStep = rank == 0 ? 0 : bs[rank - 1];
        boolean wholeRows = rank > 0 && cols > 1 && aStep == 1 && bStep == 1;
        int[] idx = new int[Math.max(rank - 1, 0)];
        int ao = 0, bo = 0;
        for (int base = 0; base < n; base += last) {
            if (wholeRows) {
                rowPairOp(op, a, ao, b, bo, out, base, cols);
            } else {
                for (int j = 0; j < last; j++) {
                    out[base + j] = apply(op, a[ao + j * aStep], b[bo + j * bStep]);
                }
            }
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                ao += as[d];
                bo += bs[d];
                if (idx[d] < outShape[d]) break;
                ao -= as[d] * outShape[d];
                bo -= bs[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }

    private static void sameShapeOp(Binary op, float[] a, float[] b, float[] out, int from, int to) {
        switch (op) {
            case ADD -> { for (int i = from; i < to; i++) out[i] = a[i] + b[i]; }
            case SUB -> { for (int i = from; i < to; i++) out[i] = a[i] - b[i]; }
            case MUL -> { for (int i = from; i < to; i++) out[i] = a[i] * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) out[i] = a[i] / b[i]; }
        }
    }

    private static void rowOp(Binary op, float[] a, int base, float[] b, float[] out, int m) {
        rowPairOp(op, a, base, b, 0, out, base, m);
    }

    /**
     * out[oo + j] = a[ao + j] op b[bo + j] for j < m. Vector API: C2 (JDK 17) leaves such loops scalar when the
     * operands sit at different offsets (it cannot prove the arrays apart); one operation per element either way.
     */
    private static void rowPairOp(Binary op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int m) {
        int j = 0, bound = V.loopBound(m);
        switch (op) {
            case ADD -> {
                for (; j < bound; j += V.length()) FloatVector.fromArray(V, a, ao + j).add(FloatVector.fromArray(V, b, bo + j)).intoArray(out, oo + j);
                for (; j < m; j++) out[oo + j] = a[ao + j] + b[bo + j];
            }
            case SUB -> {
                for (; j < bound; j += V.length()) FloatVector.fromArray(V, a, ao + j).sub(FloatVector.fromArray(V, b, bo + j)).intoArray(out, oo + j);
                for (; j < m; j++) out[oo + j] = a[ao + j] - b[bo + j];
            }
            case MUL -> {
                for (; j < bound; j += V.length()) FloatVector.fromArray(V, a, ao + j).mul(FloatVector.fromArray(V, b, bo + j)).intoArray(out, oo + j);
                for (; j < m; j++) out[oo + j] = a[ao + j] * b[bo + j];
            }
            case DIV -> {
                for (; j < bound; j += V.length()) FloatVector.fromArray(V, a, ao + j).div(FloatVector.fromArray(V, b, bo + j)).intoArray(out, oo + j);
                for (; j < m; j++) out[oo + j] = a[ao + j] / b[bo + j];
            }
        }
    }

    /** dst[d0 + j] += src[s0 + j] for j < n, on the Vector API (see {@link #rowPairOp}). */
    static void addRow(float[] dst, int d0, float[] src, int s0, int n) {
        int j = 0, bound = V.loopBound(n);
        for (; j < bound; j += V.length()) FloatVector.fromArray(V, dst, d0 + j).add(FloatVector.fromArray(V, src, s0 + j)).intoArray(dst, d0 + j);
        for (; j < n; j++) dst[d0 + j] += src[s0 + j];
    }

    private static void columnOp(Binary op, float[] a, int base, float b, float[] out, int m) {
        switch (op) {
            case ADD -> { for (int j = 0; j < m; j++) out[base + j] = a[base + j] + b; }
            case SUB -> { for (int j = 0; j < m; j++) out[base + j] = a[base + j] - b; }
            case MUL -> { for (int j = 0; j < m; j++) out[base + j] = a[base + j] * b; }
            case DIV -> { for (int j = 0; j < m; j++) out[base + j] = a[base + j] / b; }
        }
    }

    private static float apply(Binary op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    /** True when {@code shape}, without leading ones, equals the trailing dimensions of {@code full}. */
    private static boolean isTrailing(int[] shape, int[] full) {
        int s = 0;
        while (s < shape.length && shape[s] == 1 && shape.length - s > 0) s++;
        int len = shape.length - s;
        if (len > full.length) return false;
        for (int i = 0; i < len; i++) if (shape[s + i] != full[full.length - len + i]) return false;
        return true;
    }

    /** Strides of {@code shape} aligned to the right of {@code outShape}, 0 where it broadcasts. */
    static int[] broadcastStrides(int[] shape, int[] outShape) {
        int rank = outShape.length;
        int[] own = Shapes.strides(shape);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - shape.length);
            s[i] = j < 0 || shape[j] == 1 ? 0 : own[j];
        }
        return s;
    }

    @Override
    public void reduceToShape(float[] g, int[] gShape, float[] out, int[] outShape) {
        int n = g.length;
        if (out.length == n) {
            Parallel.forRange(n, GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) out[i] += g[i];
            });
            return;
        }
        if (isTrailing(outShape, gShape) && out.length > 0) {
            // Column sums (a bias gradient): each chunk of rows sums into its own partial, then the partials add up
            // in chunk order (see Parallel: the chunks depend on the shape only, so the sum's order does too).
            int m = out.length, rows = n / m;
            float[][] parts = new float[Parallel.chunks(rows, rowGrain(m))][m];
            Parallel.forChunks(rows, rowGrain(m), (c, r0, r1) -> {
                float[] part = parts[c];
                for (int r = r0; r < r1; r++) addRow(part, 0, g, r * m, m);
            });
            addInOrder(parts, out);
            return;
        }
        int m = gShape.length == 0 ? 1 : gShape[gShape.length - 1];
        if (outShape.length > 0 && outShape[outShape.length - 1] == 1 && (long) out.length * m == n && m > 1) {
            // Row sums into a column ([..., k] -> [..., 1]): each row in order, as the general walk below adds them.
            Parallel.forRange(out.length, rowGrain(m), (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    float acc = out[r];
                    for (int j = 0; j < m; j++) acc += g[r * m + j];
                    out[r] = acc;
                }
            });
            return;
        }
        int rank = gShape.length;
        int[] os = broadcastStrides(outShape, gShape);
        // Walk g row by row with an odometer over the leading dims, adding into out through its broadcast strides
        // (0 on reduced dims). When the last axis is kept ([B, N, D] -> [B, 1, D]), a row of g adds into a whole
        // row of out (addRow's vector loop); otherwise a strided tight loop. Every output element receives the same
        // terms in the same order either way (g's element order).
        int oStep = rank == 0 ? 0 : os[rank - 1];
        boolean wholeRows = rank > 0 && m > 1 && oStep == 1;
        int[] idx = new int[Math.max(rank - 1, 0)];
        int oo = 0;
        for (int base = 0; base < n; base += m) {
            if (wholeRows) {
                addRow(out, oo, g, base, m);
            } else {
                for (int j = 0; j < m; j++) out[oo + j * oStep] += g[base + j];
            }
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                oo += os[d];
                if (idx[d] < gShape[d]) break;
                oo -= os[d] * gShape[d];
                idx[d] = 0;
            }
        }
    }

    // ---------------------------------------------------------------- reductions and scans

    @Override
    public void sumAxis(float[] x, int outer, int n, int inner, float[] out) {
        Arrays.fill(out, 0, outer * inner, 0f);
        for (int o = 0; o < outer; o++) {
            if (inner == 1) {
                out[o] = VectorMath.sum(x, o * n, n);
                continue;
            }
            int ob = o * inner;
            for (int j = 0; j < n; j++) {
                int xb = (o * n + j) * inner;
                for (int i = 0; i < inner; i++) out[ob + i] += x[xb + i];
            }
        }
    }

    @Override
    public void maxAxis(float[] x, int outer, int n, int inner, float[] out, int[] argmax) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float m = x[o * n * inner + i];
                for (int j = 1; j < n; j++) {
                    float v = x[(o * n + j) * inner + i];
                    if (v > m || Float.isNaN(v)) {
                        m = v;
                        best = j;
                    }
                }
                out[o * inner + i] = m;
                argmax[o * inner + i] = best;
            }
        }
    }

    @Override
    public void cumsum(float[] x, int outer, int n, int inner, boolean reverse, float[] y) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float acc = 0;
                for (int jj = 0; jj < n; jj++) {
                    int j = reverse ? n - 1 - jj : jj;
                    int p = (o * n + j) * inner + i;
                    acc += x[p];
                    y[p] = acc;
                }
            }
        }
    }

    // ---------------------------------------------------------------- softmax

    @Override
    public void softmax(float[] x, int rows, int cols, boolean log, boolean causal, float[] y) {
        Parallel.forRange(rows, rowGrain(cols), (r0, r1) -> softmaxRows(x, r0, r1, cols, log, causal, y));
    }

    private static void softmaxRows(float[] x, int r0, int r1, int cols, boolean log, boolean causal, float[] y) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            int valid = causal ? (r % cols) + 1 : cols;
            float max = VectorMath.max(x, off, valid);
            VectorMath.expShifted(x, off, max, y, off, valid);
            float sum = VectorMath.sum(y, off, valid);
            if (log) {
                float logSum = FloatMath.log(sum) + max;
                for (int j = 0; j < valid; j++) y[off + j] = x[off + j] - logSum;
                for (int j = valid; j < cols; j++) y[off + j] = Float.NEGATIVE_INFINITY;
            } else {
                float inv = 1f / sum;
                for (int j = 0; j < valid; j++) y[off + j] *= inv;
                for (int j = valid; j < cols; j++) y[off + j] = 0f;
            }
        }
    }

    @Override
    public void softmaxBackward(float[] y, float[] gy, int rows, int cols, boolean log, float[] gx) {
        Parallel.forRange(rows, rowGrain(cols), (r0, r1) -> softmaxBackwardRows(y, gy, r0, r1, cols, log, gx));
    }

    private static void softmaxBackwardRows(float[] y, float[] gy, int r0, int r1, int cols, boolean log, float[] gx) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            if (log) {
                // d logsoftmax: gx = gy - softmax · Σ gy; masked entries (y = -inf) have softmax 0.
                float s = VectorMath.sum(gy, off, cols);
                for (int j = 0; j < cols; j++) gx[off + j] += gy[off + j] - FloatMath.exp(y[off + j]) * s;
            } else {
                float dot = VectorMath.dot(gy, off, y, off, cols);
                for (int j = 0; j < cols; j++) gx[off + j] += y[off + j] * (gy[off + j] - dot);
            }
        }
    }

    // ---------------------------------------------------------------- norms

    @Override
    public void norm(float[] x, float[] gamma, float[] beta, int rows, int cols, float eps, boolean rms,
                     float[] y, float[] mean, float[] rstd) {
        Parallel.forRange(rows, rowGrain(cols), (r0, r1) -> normRows(x, gamma, beta, r0, r1, cols, eps, rms, y, mean, rstd));
    }

    private static void normRows(float[] x, float[] gamma, float[] beta, int r0, int r1, int cols, float eps, boolean rms,
                                 float[] y, float[] mean, float[] rstd) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float mu = rms ? 0f : VectorMath.sum(x, off, cols) / cols;
            float var = VectorMath.sumSquaredDeviations(x, off, cols, mu);
            float rs = (float) (1 / Math.sqrt(var / cols + eps));
            mean[r] = mu;
            rstd[r] = rs;
            // Vector API: C2 (JDK 17) leaves these loops scalar (it cannot rule out that y aliases gamma at another
            // index). Same operations per element, so the same bits.
            FloatVector muV = FloatVector.broadcast(V, mu), rsV = FloatVector.broadcast(V, rs);
            int j = 0, bound = V.loopBound(cols);
            if (beta == null) {
                for (; j < bound; j += V.length()) {
                    FloatVector.fromArray(V, x, off + j).sub(muV).mul(rsV).mul(FloatVector.fromArray(V, gamma, j)).intoArray(y, off + j);
                }
                for (; j < cols; j++) y[off + j] = (x[off + j] - mu) * rs * gamma[j];
            } else {
                for (; j < bound; j += V.length()) {
                    FloatVector.fromArray(V, x, off + j).sub(muV).mul(rsV).mul(FloatVector.fromArray(V, gamma, j))
                            .add(FloatVector.fromArray(V, beta, j)).intoArray(y, off + j);
                }
                for (; j < cols; j++) y[off + j] = (x[off + j] - mu) * rs * gamma[j] + beta[j];
            }
        }
    }

    @Override
    public void normBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] gy, int rows, int cols,
                             boolean rms, float[] gx, float[] ggamma, float[] gbeta) {
        // Each chunk sums its rows' gamma/beta gradients into its own partial; the partials add up in chunk order.
        int chunks = Parallel.chunks(rows, rowGrain(cols));
        float[][] gg = new float[ggamma == null ? 0 : chunks][cols], gb = new float[gbeta == null ? 0 : chunks][cols];
        Parallel.forChunks(rows, rowGrain(cols), (c, r0, r1) -> normBackwardRows(x, gamma, mean, rstd, gy, r0, r1, cols, rms, gx,
                ggamma == null ? null : gg[c], gbeta == null ? null : gb[c]));
        if (ggamma != null) addInOrder(gg, ggamma);
        if (gbeta != null) addInOrder(gb, gbeta);
    }

    /** out += parts[0] + parts[1] + ..., one part after another. */
    private static void addInOrder(float[][] parts, float[] out) {
        for (float[] part : parts) addRow(out, 0, part, 0, out.length);
    }

    private static void normBackwardRows(float[] x, float[] gamma, float[] mean, float[] rstd, float[] gy, int r0, int r1,
                                         int cols, boolean rms, float[] gx, float[] ggamma, float[] gbeta) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float mu = mean[r], rs = rstd[r];
            // xhat = (x - mu)·rs; dxhat = gy·gamma; gx = rs·(dxhat - mean(dxhat) - xhat·mean(dxhat·xhat))
            float sumD = 0, sumDX = 0;
            for (int j = 0; j < cols; j++) {
                float xhat = (x[off + j] - mu) * rs;
                float d = gy[off + j] * gamma[j];
                sumD += d;
                sumDX += d * xhat;
            }
            // Vector API for the element-wise loops (C2 leaves them scalar: see normRows); same operations per
            // element, so the same bits.
            int bound = V.loopBound(cols);
            FloatVector muV = FloatVector.broadcast(V, mu), rsV = FloatVector.broadcast(V, rs);
            if (ggamma != null) {
                int j = 0;
                for (; j < bound; j += V.length()) {
                    FloatVector.fromArray(V, ggamma, j).add(FloatVector.fromArray(V, gy, off + j)
                            .mul(FloatVector.fromArray(V, x, off + j).sub(muV)).mul(rsV)).intoArray(ggamma, j);
                }
                for (; j < cols; j++) ggamma[j] += gy[off + j] * (x[off + j] - mu) * rs;
            }
            if (gbeta != null) {
                int j = 0;
                for (; j < bound; j += V.length()) {
                    FloatVector.fromArray(V, gbeta, j).add(FloatVector.fromArray(V, gy, off + j)).intoArray(gbeta, j);
                }
                for (; j < cols; j++) gbeta[j] += gy[off + j];
            }
            if (gx == null) continue;
            float meanD = rms ? 0 : sumD / cols, meanDX = sumDX / cols;
            FloatVector meanDV = FloatVector.broadcast(V, meanD), meanDXV = FloatVector.broadcast(V, meanDX);
            int j = 0;
            for (; j < bound; j += V.length()) {
                FloatVector xhat = FloatVector.fromArray(V, x, off + j).sub(muV).mul(rsV);
                FloatVector inner = FloatVector.fromArray(V, gy, off + j).mul(FloatVector.fromArray(V, gamma, j)).sub(meanDV)
                        .sub(xhat.mul(meanDXV));
                FloatVector.fromArray(V, gx, off + j).add(rsV.mul(inner)).intoArray(gx, off + j);
            }
            for (; j < cols; j++) {
                float xhat = (x[off + j] - mu) * rs;
                gx[off + j] += rs * (gy[off + j] * gamma[j] - meanD - xhat * meanDX);
            }
        }
    }

    // ---------------------------------------------------------------- rows

    @Override
    public void gatherRows(float[] x, int cols, int[] index, float[] out) {
        for (int r = 0; r < index.length; r++) System.arraycopy(x, index[r] * cols, out, r * cols, cols);
    }

    @Override
    public void scatterAddRows(float[] src, int cols, int[] index, float[] out) {
        for (int r = 0; r < index.length; r++) {
            addRow(out, index[r] * cols, src, r * cols, cols);
        }
    }

    // ---------------------------------------------------------------- convolution

    // The depthwise causal convolution's channel loops read w [channels, width] with stride width, which C2 leaves
    // scalar; with w transposed to [width, channels] they are contiguous and run on the Vector API. Every output,
    // input-gradient and weight-gradient element still takes its terms in the (batch, time, tap) order of the scalar
    // loop, from the same starting value, so the bits are the same.

    @Override
    public void causalConv1d(float[] x, float[] w, int batch, int time, int channels, int width, float[] y) {
        float[] wt = transpose(w, channels, width);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int yo = (b * time + t) * channels;
                Arrays.fill(y, yo, yo + channels, 0f);
                for (int j = 0; j < width; j++) {
                    int src = t - width + 1 + j;
                    if (src >= 0) addProduct(y, yo, wt, j * channels, x, (b * time + src) * channels, channels);
                }
            }
        }
    }

    @Override
    public void causalConv1dBackward(float[] x, float[] w, float[] gy, int batch, int time, int channels, int width,
                                     float[] gx, float[] gw) {
        float[] wt = transpose(w, channels, width), gwt = gw == null ? null : transpose(gw, channels, width);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int yo = (b * time + t) * channels;
                for (int j = 0; j < width; j++) {
                    int src = t - width + 1 + j;
                    if (src < 0) continue;
                    int xo = (b * time + src) * channels;
                    if (gx != null) addProduct(gx, xo, wt, j * channels, gy, yo, channels);
                    if (gwt != null) addProduct(gwt, j * channels, x, xo, gy, yo, channels);
                }
            }
        }
        if (gw != null) {
            for (int c = 0; c < channels; c++) for (int j = 0; j < width; j++) gw[c * width + j] = gwt[j * channels + c];
        }
    }

    /** [rows, cols] to [cols, rows]. */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] out = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
        return out;
    }

    /** y[yo + i] += a[ao + i] · b[bo + i] for i &lt; n. */
    private static void addProduct(float[] y, int yo, float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        for (int bound = V.loopBound(n); i < bound; i += V.length()) {
            FloatVector.fromArray(V, y, yo + i).add(FloatVector.fromArray(V, a, ao + i).mul(FloatVector.fromArray(V, b, bo + i))).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += a[ao + i] * b[bo + i];
    }
}
