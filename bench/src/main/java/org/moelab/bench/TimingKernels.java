package org.moelab.bench;

import java.util.Map;
import java.util.TreeMap;
import org.moelab.tensor.Binary;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Unary;

/**
 * A {@link Kernels} decorator that adds up wall time per primitive (GEMMs split by size), for an exact
 * breakdown of a training step that sampling cannot give: JFR drops many samples in tight vectorised loops and
 * cannot see inside OpenBLAS. Time outside every primitive (permute copies, allocation, autograd bookkeeping,
 * the optimizer) is the step time minus the sum (with parallel heads, the sum can exceed the wall time).
 *
 * <p>With {@code -Dbench.cpuTime=true} it adds up the calling thread's CPU time instead of wall time: on a
 * shared machine under load, wall time mostly measures the scheduler. Meaningful with one BLAS thread
 * ({@code -Dbench.threads=1}), where all the work runs on the calling thread.
 */
final class TimingKernels implements Kernels {
    private final Kernels inner;
    private final Map<String, long[]> totals = new TreeMap<>();
    private static final boolean CPU_TIME = Boolean.getBoolean("bench.cpuTime");
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Nanoseconds on the clock this run uses (wall, or the current thread's CPU time). */
    static long now() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    TimingKernels(Kernels inner) {
        this.inner = inner;
    }

    /** name -> {nanoseconds, calls}. */
    Map<String, long[]> totals() {
        return totals;
    }

    void reset() {
        totals.clear();
    }

    @Override
    public boolean threadSafe() {
        return inner.threadSafe();
    }

    /** Synchronized: attention calls GEMMs from the pool's threads (then the sum counts each thread's time). */
    private synchronized void add(String key, long t0) {
        long[] t = totals.computeIfAbsent(key, k -> new long[2]);
        t[0] += now() - t0;
        t[1]++;
    }

    @Override
    public String name() {
        return "timed " + inner.name();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                     float[] b, int bOffset, float beta, float[] c, int cOffset) {
        long t0 = now();
        inner.gemm(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
        // Attention's per-head products are tiny; the projections are not: report them apart.
        add((long) m * n * k < 1 << 20 ? "gemm (small, m·n·k < 2^20)" : "gemm (large)", t0);
    }

    @Override
    public void attention(float[] q, float[] k, float[] v, int batch, int time, int heads, int dHead, boolean causal,
                          float scale, float[] out, float[] probs) {
        long t0 = now();
        inner.attention(q, k, v, batch, time, heads, dHead, causal, scale, out, probs);
        add("attention", t0);
    }

    @Override
    public void attentionBackward(float[] q, float[] k, float[] v, float[] probs, float[] gy, int batch, int time,
                                  int heads, int dHead, boolean causal, float scale, float[] gq, float[] gk, float[] gv) {
        long t0 = now();
        inner.attentionBackward(q, k, v, probs, gy, batch, time, heads, dHead, causal, scale, gq, gk, gv);
        add("attentionBackward", t0);
    }

    @Override
    public void unary(Unary op, float[] x, float[] y, int n) {
        long t0 = now();
        inner.unary(op, x, y, n);
        add("unary " + op, t0);
    }

    @Override
    public void unaryBackward(Unary op, float[] x, float[] y, float[] gy, float[] gx, int n) {
        long t0 = now();
        inner.unaryBackward(op, x, y, gy, gx, n);
        add("unaryBackward " + op, t0);
    }

    @Override
    public void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        long t0 = now();
        inner.binary(op, a, aShape, b, bShape, out, outShape);
        add("binary " + op + (a.length == b.length ? "" : " (broadcast)"), t0);
    }

    @Override
    public void reduceToShape(float[] g, int[] gShape, float[] out, int[] outShape) {
        long t0 = now();
        inner.reduceToShape(g, gShape, out, outShape);
        add("reduceToShape" + (g.length == out.length ? " (same shape)" : " (broadcast grad)"), t0);
    }

    @Override
    public void affine(float[] x, float scale, float shift, float[] y, int n) {
        long t0 = now();
        inner.affine(x, scale, shift, y, n);
        add("affine", t0);
    }

    @Override
    public void sumAxis(float[] x, int outer, int n, int inner, float[] out) {
        long t0 = now();
        this.inner.sumAxis(x, outer, n, inner, out);
        add("sumAxis", t0);
    }

    @Override
    public void maxAxis(float[] x, int outer, int n, int inner, float[] out, int[] argmax) {
        long t0 = now();
        this.inner.maxAxis(x, outer, n, inner, out, argmax);
        add("maxAxis", t0);
    }

    @Override
    public void cumsum(float[] x, int outer, int n, int inner, boolean reverse, float[] y) {
        long t0 = now();
        this.inner.cumsum(x, outer, n, inner, reverse, y);
        add("cumsum", t0);
    }

    @Override
    public void softmax(float[] x, int rows, int cols, boolean log, boolean causal, float[] y) {
        long t0 = now();
        inner.softmax(x, rows, cols, log, causal, y);
        add(log ? "logSoftmax" : causal ? "softmax (causal)" : "softmax", t0);
    }

    @Override
    public void softmaxBackward(float[] y, float[] gy, int rows, int cols, boolean log, float[] gx) {
        long t0 = now();
        inner.softmaxBackward(y, gy, rows, cols, log, gx);
        add("softmaxBackward", t0);
    }

    @Override
    public void norm(float[] x, float[] gamma, float[] beta, int rows, int cols, float eps, boolean rms, float[] y,
                     float[] mean, float[] rstd) {
        long t0 = now();
        inner.norm(x, gamma, beta, rows, cols, eps, rms, y, mean, rstd);
        add("norm", t0);
    }

    @Override
    public void normBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] gy, int rows, int cols,
                             boolean rms, float[] gx, float[] ggamma, float[] gbeta) {
        long t0 = now();
        inner.normBackward(x, gamma, mean, rstd, gy, rows, cols, rms, gx, ggamma, gbeta);
        add("normBackward", t0);
    }

    @Override
    public void gatherRows(float[] x, int cols, int[] index, float[] out) {
        long t0 = now();
        inner.gatherRows(x, cols, index, out);
        add("gatherRows", t0);
    }

    @Override
    public void scatterAddRows(float[] src, int cols, int[] index, float[] out) {
        long t0 = now();
        inner.scatterAddRows(src, cols, index, out);
        add("scatterAddRows", t0);
    }

    @Override
    public void causalConv1d(float[] x, float[] w, int batch, int time, int channels, int width, float[] y) {
        long t0 = now();
        inner.causalConv1d(x, w, batch, time, channels, width, y);
        add("causalConv1d", t0);
    }

    @Override
    public void causalConv1dBackward(float[] x, float[] w, float[] gy, int batch, int time, int channels, int width,
                                     float[] gx, float[] gw) {
        long t0 = now();
        inner.causalConv1dBackward(x, w, gy, batch, time, channels, width, gx, gw);
        add("causalConv1dBackward", t0);
    }
}
