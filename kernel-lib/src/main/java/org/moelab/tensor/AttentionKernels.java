package org.moelab.tensor;

/**
 * The two ways {@link Kernels#attention} runs: a fused Java kernel for small heads ({@link #fused}, {@link
 * #fusedBackward}) and per-head GEMMs through a {@link Kernels} implementation ({@link #viaGemm}, {@link
 * #viaGemmBackward}: the route of ND4J and of large heads on the CPU).
 *
 * <p>Layout: q, k, v, out and their gradients are [batch, time, heads·dHead] rows, as projections produce them; head
 * h of a row is columns [h·dHead, (h+1)·dHead). probs is [batch, heads, time, time] (masked entries 0).
 *
 * <p><b>Fused kernel:</b> one task per (batch, head), spread over {@link Parallel} (chunks fixed by batch·heads);
 * each reads its head's columns in place through strides ({@link SmallGemm}), so there are no head split/merge
 * copies, no JNI calls and no score buffers beyond probs; causal products skip the masked half. Per head:
 * S = scale·q·kᵀ, P = softmax(S) row by row (max, {@link VectorMath#expShifted}, the fixed-order
 * {@link VectorMath#sum}), O = P·v; backward dP = dO·vᵀ, dS = P∘(dP − rowdot(dP, P)), dv += Pᵀ·dO,
 * dq += scale·dS·k, dk += scale·dSᵀ·q. Each task writes only its own head's columns of its own batch rows, and every
 * sum runs in a fixed order, so the bits do not depend on the thread count. The numbers differ from the GEMM route's
 * in the last bits (another summation order than OpenBLAS's).
 */
final class AttentionKernels {
    private AttentionKernels() {}

    // ---------------------------------------------------------------- fused (Java, small heads)

    static void fused(float[] q, float[] k, float[] v, int batch, int time, int heads, int dHead, boolean causal,
                      float scale, float[] out, float[] probs) {
        int d = heads * dHead, tt = time * time;
        Parallel.forRange(batch * heads, 1, (u0, u1) -> {
            float[] kt = new float[dHead * time];
            for (int u = u0; u < u1; u++) {
                int base = (u / heads) * time * d + (u % heads) * dHead, po = u * tt;
                transpose(k, base, d, time, dHead, kt);
                SmallGemm.gemm(time, time, dHead, scale, q, base, d, 1, kt, 0, time, probs, po, time, false, SmallGemm.FULL, causal);
                for (int i = 0; i < time; i++) softmaxRow(probs, po + i * time, causal ? i + 1 : time, time);
                SmallGemm.gemm(time, dHead, time, 1f, probs, po, time, 1, v, base, d, out, base, d, false,
                        causal ? SmallGemm.LOWER : SmallGemm.FULL, false);
            }
        });
    }

    static void fusedBackward(float[] q, float[] k, float[] v, float[] probs, float[] gy, int batch, int time, int heads,
                              int dHead, boolean causal, float scale, float[] gq, float[] gk, float[] gv) {
        int d = heads * dHead, tt = time * time;
        Parallel.forRange(batch * heads, 1, (u0, u1) -> {
            float[] vt = new float[dHead * time], ds = new float[tt];
            for (int u = u0; u < u1; u++) {
                int base = (u / heads) * time * d + (u % heads) * dHead, po = u * tt;
                // dv[j] += Σ_i P[i, j]·dO[i]: A(j, i) = P[i, j], zero for i < j when causal.
                if (gv != null) SmallGemm.gemm(time, dHead, time, 1f, probs, po, 1, time, gy, base, d, gv, base, d, true,
                        causal ? SmallGemm.UPPER : SmallGemm.FULL, false);
                if (gq == null && gk == null) continue;
                transpose(v, base, d, time, dHead, vt);
                SmallGemm.gemm(time, time, dHead, 1f, gy, base, d, 1, vt, 0, time, ds, 0, time, false, SmallGemm.FULL, causal);
                for (int i = 0; i < time; i++) {
                    int valid = causal ? i + 1 : time, r = i * time, pr = po + r;
                    float dot = VectorMath.dot(ds, r, probs, pr, valid);
                    for (int j = 0; j < valid; j++) ds[r + j] = probs[pr + j] * (ds[r + j] - dot);
                    for (int j = valid; j < time; j++) ds[r + j] = 0f;
                }
                if (gq != null) SmallGemm.gemm(time, dHead, time, scale, ds, 0, time, 1, k, base, d, gq, base, d, true,
                        causal ? SmallGemm.LOWER : SmallGemm.FULL, false);
                if (gk != null) SmallGemm.gemm(time, dHead, time, scale, ds, 0, 1, time, q, base, d, gk, base, d, true,
                        causal ? SmallGemm.UPPER : SmallGemm.FULL, false);
            }
        });
    }

    /** dst[c·time + t] = src[base + t·d + c]: one head's [time, dHead] block, transposed. */
    private static void transpose(float[] src, int base, int d, int time, int dHead, float[] dst) {
        for (int t = 0; t < time; t++) {
            int s = base + t * d;
            for (int c = 0; c < dHead; c++) dst[c * time + t] = src[s + c];
        }
    }

    /** Softmax of x[off, off + valid) in place, zeros in [off + valid, off + cols). */
    private static void softmaxRow(float[] x, int off, int valid, int cols) {
        float max = VectorMath.max(x, off, valid);
        // exp over valid rounded up to whole vectors where the row has room: the lanes past valid are overwritten
        // with 0 below, and no scalar tail runs (a lane computes FloatMath.exp's bits, as the tail would).
        int padded = (valid + VectorMath.LANES - 1) / VectorMath.LANES * VectorMath.LANES;
        VectorMath.expShifted(x, off, max, x, off, padded <= cols ? padded : valid);
        float inv = 1f / VectorMath.sum(x, off, valid);
        for (int j = 0; j < valid; j++) x[off + j] *= inv;
        for (int j = valid; j < cols; j++) x[off + j] = 0f;
    }

    // ---------------------------------------------------------------- per-head GEMMs through a Kernels

    static void viaGemm(Kernels kern, float[] q, float[] k, float[] v, int batch, int time, int heads, int dHead,
                        boolean causal, float scale, float[] out, float[] probs) {
        int bh = batch * heads, t = time, dh = dHead, hs = t * dh;
        float[] qh = split(q, batch, time, heads, dHead), kh = split(k, batch, time, heads, dHead);
        float[] vh = split(v, batch, time, heads, dHead);
        int grain = kern.threadSafe() ? 1 : Integer.MAX_VALUE;
        float[] scores = new float[bh * t * t];
        Parallel.forRange(bh, grain, (h0, h1) -> {
            for (int i = h0; i < h1; i++) kern.gemm(false, true, t, t, dh, scale, qh, i * hs, kh, i * hs, 0f, scores, i * t * t);
        });
        kern.softmax(scores, bh * t, t, false, causal, probs);
        float[] oh = new float[bh * hs];
        Parallel.forRange(bh, grain, (h0, h1) -> {
            for (int i = h0; i < h1; i++) kern.gemm(false, false, t, dh, t, 1f, probs, i * t * t, vh, i * hs, 0f, oh, i * hs);
        });
        merge(oh, batch, time, heads, dHead, out, false);
    }

    static void viaGemmBackward(Kernels kern, float[] q, float[] k, float[] v, float[] probs, float[] gy, int batch,
                                int time, int heads, int dHead, boolean causal, float scale, float[] gq, float[] gk, float[] gv) {
        int bh = batch * heads, t = time, dh = dHead, hs = t * dh;
        float[] qh = gk == null ? null : split(q, batch, time, heads, dHead), kh = gq == null ? null : split(k, batch, time, heads, dHead);
        float[] vh = split(v, batch, time, heads, dHead), gyh = split(gy, batch, time, heads, dHead);
        // With one head the layouts coincide: accumulate into the gradients directly (beta = 1).
        boolean direct = heads == 1;
        float beta = direct ? 1f : 0f;
        float[] gqh = gq == null ? null : direct ? gq : new float[bh * hs], gkh = gk == null ? null : direct ? gk : new float[bh * hs];
        float[] gvh = gv == null ? null : direct ? gv : new float[bh * hs];
        int grain = kern.threadSafe() ? 1 : Integer.MAX_VALUE;
        float[] dP = new float[bh * t * t], dS = new float[bh * t * t];
        Parallel.forRange(bh, grain, (h0, h1) -> {
            for (int i = h0; i < h1; i++) {
                int o = i * hs, p = i * t * t;
                if (gvh != null) kern.gemm(true, false, t, dh, t, 1f, probs, p, gyh, o, beta, gvh, o);
                kern.gemm(false, true, t, t, dh, 1f, gyh, o, vh, o, 0f, dP, p);
            }
        });
        kern.softmaxBackward(probs, dP, bh * t, t, false, dS);
        Parallel.forRange(bh, grain, (h0, h1) -> {
            for (int i = h0; i < h1; i++) {
                int o = i * hs, p = i * t * t;
                if (gqh != null) kern.gemm(false, false, t, dh, t, scale, dS, p, kh, o, beta, gqh, o);
                if (gkh != null) kern.gemm(true, false, t, dh, t, scale, dS, p, qh, o, beta, gkh, o);
            }
        });
        if (direct) return;
        if (gq != null) merge(gqh, batch, time, heads, dHead, gq, true);
        if (gk != null) merge(gkh, batch, time, heads, dHead, gk, true);
        if (gv != null) merge(gvh, batch, time, heads, dHead, gv, true);
    }

    /** [batch, time, heads·dHead] to [batch, heads, time, dHead] (with one head, the array itself). */
    private static float[] split(float[] x, int batch, int time, int heads, int dHead) {
        if (heads == 1) return x;
        int d = heads * dHead;
        float[] y = new float[x.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < time; t++) {
                    System.arraycopy(x, (b * time + t) * d + h * dHead, y, ((b * heads + h) * time + t) * dHead, dHead);
                }
            }
        }
        return y;
    }

    /** [batch, heads, time, dHead] back to [batch, time, heads·dHead], written or added into dst. */
    private static void merge(float[] y, int batch, int time, int heads, int dHead, float[] dst, boolean add) {
        int d = heads * dHead;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < time; t++) {
                    int s = ((b * heads + h) * time + t) * dHead, o = (b * time + t) * d + h * dHead;
                    if (add) {
                        for (int c = 0; c < dHead; c++) dst[o + c] += y[s + c];
                    } else {
                        System.arraycopy(y, s, dst, o, dHead);
                    }
                }
            }
        }
    }
}
