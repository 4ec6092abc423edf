package org.moelab.tensor;

/**
 * Fused scaled-dot-product attention, softmax(q·kᵀ/√d [+ causal mask])·v. Forward keeps the probabilities for the
 * backward: dP = dO·vᵀ, dS = P∘(dP − rowsum(dO∘O)), dq = dS·k/√d, dk = dSᵀ·q/√d, dv = Pᵀ·dO.
 *
 * <p>Both entry points run {@link Kernels#attention}: on the CPU a fused Java kernel for small heads (no per-head
 * JNI calls, no head split/merge copies; {@link AttentionKernels}) and per-head GEMMs for large ones.
 */
public final class Attention {
    private Attention() {}

    /** Over [batch, heads, time, dHead] (one head per [time, dHead] block). */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, boolean causal) {
        Shapes.requireRank("attention", "q", q, 4);
        Shapes.requireSame("attention (q vs k)", q, k);
        Shapes.requireSame("attention (q vs v)", q, v);
        int[] s = q.shape();
        // [B, H, T, dHead] is [B·H, T, dHead] with one head per batch row.
        return run(q, k, v, s[0] * s[1], s[2], 1, s[3], causal);
    }

    /**
     * Multi-head attention on projection outputs q, k, v [batch, time, heads·dHead] (head h in columns
     * [h·dHead, (h+1)·dHead)), giving [batch, time, heads·dHead] with the heads already merged: the same numbers as
     * splitting the heads, {@link #scaledDotProduct} and merging them, without the split and merge copies.
     */
    public static Tensor multiHead(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
        Shapes.requireRank("attention", "q", q, 3);
        Shapes.requireSame("attention (q vs k)", q, k);
        Shapes.requireSame("attention (q vs v)", q, v);
        int[] s = q.shape();
        if (heads < 1 || s[2] % heads != 0) throw new IllegalArgumentException("attention: heads must divide the last dimension " + s[2] + ", got " + heads);
        return run(q, k, v, s[0], s[1], heads, s[2] / heads, causal);
    }

    private static Tensor run(Tensor q, Tensor k, Tensor v, int batch, int t, int heads, int d, boolean causal) {
        float scale = (float) (1 / Math.sqrt(d));
        // probs stays private to this op: back to the cache after backward, or at once when nothing is recorded.
        float[] probs = ArrayCache.ofThread().zeroed(batch * heads * t * t);
        Tensor out = Tensor.zeros(q.shape());
        Kernels.current().attention(q.data, k.data, v.data, batch, t, heads, d, causal, scale, out.data, probs);
        if (!Tensor.anyRequiresGrad(q, k, v)) {
            ArrayCache.ofThread().giveBack(probs);
            return out;
        }
        return out.recordedBy(new Node(causal ? "causalAttention" : "attention", q, k, v) {
            @Override
            void backward(float[] gy) {
                float[] gq = needs(0) ? q.gradBuffer() : null, gk = needs(1) ? k.gradBuffer() : null;
                float[] gv = needs(2) ? v.gradBuffer() : null;
                Kernels.current().attentionBackward(q.data, k.data, v.data, probs, gy, batch, t, heads, d, causal, scale, gq, gk, gv);
                ArrayCache.ofThread().giveBack(probs);
            }
        });
    }
}
