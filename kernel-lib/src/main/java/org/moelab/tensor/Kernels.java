package org.moelab.tensor;

/**
 * The numeric primitives every op is built from, over contiguous row-major {@code float[]} buffers.
 *
 * <p>Two implementations: {@link CpuKernels} (the default: Java loops, the Vector API for transcendental
 * functions, GEMM in OpenBLAS on the arrays in place) and {@link Nd4jKernels} (every primitive as ND4J
 * INDArray ops: the route to ND4J's CUDA backend, and a cross-check in tests). Ops pick the current
 * implementation through {@link #current()}, so switching is one call.
 *
 * <p>Conventions: "backward" primitives <em>accumulate</em> ({@code +=}) into gradient buffers, because a
 * tensor used twice receives the sum of both gradients. Axis reductions see a tensor as
 * {@code [outer, n, inner]} with the reduced axis in the middle.
 */
public interface Kernels {

    String name();

    /**
     * Whether ops may call this implementation from several threads at once (for independent slices, such as
     * attention heads spread over {@link Parallel}'s pool). Off unless an implementation says so.
     */
    default boolean threadSafe() {
        return false;
    }

    /** C[m,n] = alpha·op(A)·op(B) + beta·C, row-major, op = transpose when the flag is set; arrays from an offset. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset);

    void unary(Unary op, float[] x, float[] y, int n);

    /** gx += gy·f'(x), given x and y = f(x). */
    void unaryBackward(Unary op, float[] x, float[] y, float[] gy, float[] gx, int n);

    /** out = a op b with numpy broadcasting; {@code outShape} is the broadcast shape. */
    void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape);

    /** out (shape {@code outShape}) += g (shape {@code gShape}) summed over the dimensions broadcasting expanded. */
    void reduceToShape(float[] g, int[] gShape, float[] out, int[] outShape);

    /** y = x·scale + shift, element-wise. */
    void affine(float[] x, float scale, float shift, float[] y, int n);

    /** out[o, i] = Σ_j x[o, j, i]. */
    void sumAxis(float[] x, int outer, int n, int inner, float[] out);

    /** out[o, i] = max_j x[o, j, i], argmax[o, i] = the first j reaching it. */
    void maxAxis(float[] x, int outer, int n, int inner, float[] out, int[] argmax);

    /** Running sum along the middle axis; {@code reverse} sums from the end (the cumsum's backward). */
    void cumsum(float[] x, int outer, int n, int inner, boolean reverse, float[] y);

    /**
     * Row softmax (or log-softmax) over {@code cols}. With {@code causal}, rows come in square blocks
     * (cols = block size) and row r of a block ignores columns after r (probability 0).
     */
    void softmax(float[] x, int rows, int cols, boolean log, boolean causal, float[] y);

    /** gx += softmax (or log-softmax) backward, given y and gy. */
    void softmaxBackward(float[] y, float[] gy, int rows, int cols, boolean log, float[] gx);

    /**
     * Row normalisation over {@code cols}: LayerNorm ((x-mean)·rstd·gamma + beta), or RMSNorm when {@code rms}
     * (x·rstd·gamma, no mean, no beta). Writes the per-row mean and rstd for the backward. beta may be null.
     */
    void norm(float[] x, float[] gamma, float[] beta, int rows, int cols, float eps, boolean rms,
              float[] y, float[] mean, float[] rstd);

    /** Accumulates gx, ggamma, gbeta (each may be null when not wanted) for {@link #norm}. */
    void normBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] gy, int rows, int cols, boolean rms,
                      float[] gx, float[] ggamma, float[] gbeta);

    /** out[r] = x[index[r]] for rows of {@code cols} values. */
    void gatherRows(float[] x, int cols, int[] index, float[] out);

    /** out[index[r]] += src[r] for rows of {@code cols} values (duplicates add up). */
    void scatterAddRows(float[] src, int cols, int[] index, float[] out);

    /**
     * Depthwise causal 1-D convolution over [batch, time, channels] with weights [channels, width]:
     * y[b,t,c] = Σ_j w[c,j]·x[b, t-width+1+j, c] (zero before t = 0).
     */
    void causalConv1d(float[] x, float[] w, int batch, int time, int channels, int width, float[] y);

    /** Accumulates gx and gw (either may be null) for {@link #causalConv1d}. */
    void causalConv1dBackward(float[] x, float[] w, float[] gy, int batch, int time, int channels, int width,
                              float[] gx, float[] gw);

    /**
     * Multi-head scaled-dot-product attention on projection rows: q, k, v and out are [batch, time, heads·dHead],
     * head h in columns [h·dHead, (h+1)·dHead); out = softmax(scale·q_h·k_hᵀ [causal mask])·v_h per head. Writes the
     * probabilities [batch, heads, time, time] (masked entries 0) for {@link #attentionBackward}. The default runs
     * per-head GEMMs and the row softmax of this implementation on head-split copies.
     */
    default void attention(float[] q, float[] k, float[] v, int batch, int time, int heads, int dHead, boolean causal,
                           float scale, float[] out, float[] probs) {
        AttentionKernels.viaGemm(this, q, k, v, batch, time, heads, dHead, causal, scale, out, probs);
    }

    /** Accumulates gq, gk, gv (each may be null when not wanted) for {@link #attention}, given probs and gy = dOut. */
    default void attentionBackward(float[] q, float[] k, float[] v, float[] probs, float[] gy, int batch, int time,
                                   int heads, int dHead, boolean causal, float scale, float[] gq, float[] gk, float[] gv) {
        AttentionKernels.viaGemmBackward(this, q, k, v, probs, gy, batch, time, heads, dHead, causal, scale, gq, gk, gv);
    }

    // ---------------------------------------------------------------- selection

    static Kernels current() {
        return KernelsHolder.current;
    }

    /** Makes {@code kernels} the implementation every op uses from now on (all threads). */
    static void use(Kernels kernels) {
        KernelsHolder.current = kernels;
    }

    /** Runs ops under {@code kernels} until the returned scope closes, then restores the previous choice. */
    static GradMode.Scope using(Kernels kernels) {
        Kernels previous = KernelsHolder.current;
        KernelsHolder.current = kernels;
        return () -> KernelsHolder.current = previous;
    }
}

final class KernelsHolder {
    static volatile Kernels current = new CpuKernels();

    private KernelsHolder() {}
}
