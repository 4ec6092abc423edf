package org.moelab.tensor;

/**
 * Fused scaled-dot-product attention, softmax(q·kᵀ/√d [+ causal mask])·v, over [batch, heads, time, dHead].
 * Forward keeps the probabilities for the backward:
 * dP = dO·vᵀ, dS = P∘(dP − rowsum(dO∘O)), dq = dS·k/√d, dk = dSᵀ·q/√d, dv = Pᵀ·dO.
 */
public final class Attention {
    private Attention() {}

    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, boolean causal) {
        Shapes.requireRank("attention", "q", q, 4);
        Shapes.requireSame("attention (q vs k)", q, k);
        Shapes.requireSame("attention (q vs v)", q, v);
        int[] s = q.shape();
        int bh = s[0] * s[1], t = s[2], d = s[3];
        float scale = (float) (1 / Math.sqrt(d));
        Kernels kern = Kernels.current();
        // Heads are independent: thread-safe kernels (CpuKernels) run them spread over Parallel's pool, since one
        // head's GEMMs are too small to split; others (ND4J) run them in order.
        int grain = kern.threadSafe() ? 1 : Integer.MAX_VALUE;
        float[] scores = new float[bh * t * t];
        float[] probs = new float[bh * t * t];
        Parallel.forRange(bh, grain, (h0, h1) -> {
            for (int i = h0; i < h1; i++) kern.gemm(false, true, t, t, d, scale, q.data, i * t * d, k.data, i * t * d, 0f, scores, i * t * t);
        });
        kern.softmax(scores, bh * t, t, false, causal, probs);
        Tensor out = Tensor.zeros(s);
        Parallel.forRange(bh, grain, (h0, h1) -> {
            for (int i = h0; i < h1; i++) kern.gemm(false, false, t, d, t, 1f, probs, i * t * t, v.data, i * t * d, 0f, out.data, i * t * d);
        });
        if (!Tensor.anyRequiresGrad(q, k, v)) return out;
        return out.recordedBy(new Node(causal ? "causalAttention" : "attention", q, k, v) {
            @Override
            void backward(float[] gy) {
                Kernels kern = Kernels.current();
                int grain = kern.threadSafe() ? 1 : Integer.MAX_VALUE;
                float[] dP = new float[bh * t * t], dS = new float[bh * t * t];
                // Allocated here, before the heads run in parallel: gradBuffer() creates lazily and is not thread-safe.
                float[] gq = needs(0) ? q.gradBuffer() : null, gk = needs(1) ? k.gradBuffer() : null;
                float[] gv = needs(2) ? v.gradBuffer() : null;
                Parallel.forRange(bh, grain, (h0, h1) -> {
                    for (int i = h0; i < h1; i++) {
                        int o = i * t * d, p = i * t * t;
                        if (gv != null) kern.gemm(true, false, t, d, t, 1f, probs, p, gy, o, 1f, gv, o);
                        kern.gemm(false, true, t, t, d, 1f, gy, o, v.data, o, 0f, dP, p);
                    }
                });
                kern.softmaxBackward(probs, dP, bh * t, t, false, dS);
                Parallel.forRange(bh, grain, (h0, h1) -> {
                    for (int i = h0; i < h1; i++) {
                        int o = i * t * d, p = i * t * t;
                        if (gq != null) kern.gemm(false, false, t, d, t, scale, dS, p, k.data, o, 1f, gq, o);
                        if (gk != null) kern.gemm(true, false, t, d, t, scale, dS, p, q.data, o, 1f, gk, o);
                    }
                });
            }
        });
    }
}
