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
        float[] scores = new float[bh * t * t];
        float[] probs = new float[bh * t * t];
        for (int i = 0; i < bh; i++) kern.gemm(false, true, t, t, d, scale, q.data, i * t * d, k.data, i * t * d, 0f, scores, i * t * t);
        kern.softmax(scores, bh * t, t, false, causal, probs);
        Tensor out = Tensor.zeros(s);
        for (int i = 0; i < bh; i++) kern.gemm(false, false, t, d, t, 1f, probs, i * t * t, v.data, i * t * d, 0f, out.data, i * t * d);
        if (!Tensor.anyRequiresGrad(q, k, v)) return out;
        return out.recordedBy(new Node(causal ? "causalAttention" : "attention", q, k, v) {
            @Override
            void backward(float[] gy) {
                Kernels kern = Kernels.current();
                float[] dP = new float[bh * t * t], dS = new float[bh * t * t];
                for (int i = 0; i < bh; i++) {
                    int o = i * t * d, p = i * t * t;
                    if (needs(2)) kern.gemm(true, false, t, d, t, 1f, probs, p, gy, o, 1f, v.gradBuffer(), o);
                    kern.gemm(false, true, t, t, d, 1f, gy, o, v.data, o, 0f, dP, p);
                }
                kern.softmaxBackward(probs, dP, bh * t, t, false, dS);
                for (int i = 0; i < bh; i++) {
                    int o = i * t * d, p = i * t * t;
                    if (needs(0)) kern.gemm(false, false, t, d, t, scale, dS, p, k.data, o, 1f, q.gradBuffer(), o);
                    if (needs(1)) kern.gemm(true, false, t, d, t, scale, dS, p, q.data, o, 1f, k.gradBuffer(), o);
                }
            }
        });
    }
}
