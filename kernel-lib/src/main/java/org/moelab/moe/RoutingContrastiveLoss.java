package org.moelab.moe;

import org.moelab.tensor.Tensor;

/**
 * ProMoE's routing contrastive loss (RCL, paper Eq. 6; {@code compute_routing_contrastive_loss} in the reference
 * code): an InfoNCE between the prototypes P_i and the means m_i of the tokens routed to each expert,
 *
 * <pre>
 *   m_i = mean of the raw tokens h_t routed to expert i (not normalised, NOT detached)
 *   L   = mean_{i∈V} −log( exp(cos(P_i, m_i)/τ) / Σ_{j∈V} exp(cos(P_i, m_j)/τ) ),   τ = 0.07
 * </pre>
 *
 * over the valid experts V (those with at least one token); L = 0 when |V| &lt; 2, since a single positive has no
 * negatives to push away from. It pulls each prototype towards its own cluster and away from the others — the
 * "push-away" term is what balances the load in place of a load-balance loss. The tokens are not detached, so the
 * loss also shapes the backbone, and the prototypes get gradient from here and through the gate weight.
 */
public final class RoutingContrastiveLoss {
    /** The paper's temperature. */
    public static final float DEFAULT_TEMPERATURE = 0.07f;
    private static final float NORM_EPS = 1e-12f;

    private RoutingContrastiveLoss() {}

    /**
     * @param prototypes [E, D]
     * @param tokens     [T, D] the tokens the router saw
     * @param expertOf   each token's routed expert in [0, E), or -1 for a token that is not routed to a prototype
     * @param tau        temperature (&gt; 0)
     */
    public static Tensor of(Tensor prototypes, Tensor tokens, int[] expertOf, float tau) {
        int e = prototypes.size(0), t = tokens.size(0);
        if (prototypes.rank() != 2 || tokens.rank() != 2 || prototypes.size(1) != tokens.size(1)) {
            throw new IllegalArgumentException("RoutingContrastiveLoss: prototypes [E, D] and tokens [T, D] must share D, got "
                    + java.util.Arrays.toString(prototypes.shape()) + " and " + java.util.Arrays.toString(tokens.shape()));
        }
        if (expertOf.length != t) throw new IllegalArgumentException("RoutingContrastiveLoss: " + expertOf.length + " expert ids for " + t + " tokens");
        if (!(tau > 0)) throw new IllegalArgumentException("RoutingContrastiveLoss: temperature must be > 0, got " + tau);
        int[] counts = new int[e];
        for (int x : expertOf) {
            if (x >= e) throw new IllegalArgumentException("RoutingContrastiveLoss: expert " + x + " out of range [0, " + e + ")");
            if (x >= 0) counts[x]++;
        }
        int[] slot = new int[e];
        int valid = 0;
        for (int i = 0; i < e; i++) slot[i] = counts[i] > 0 ? valid++ : -1;
        if (valid < 2) return Tensor.scalar(0f);
        int[] validExperts = new int[valid];
        for (int i = 0; i < e; i++) if (slot[i] >= 0) validExperts[slot[i]] = i;
        // m = A·h with A[v, t] = 1/n_v for the tokens of valid expert v: one GEMM, differentiable in h.
        float[] a = new float[valid * t];
        for (int k = 0; k < t; k++) if (expertOf[k] >= 0) a[slot[expertOf[k]] * t + k] = 1f / counts[expertOf[k]];
        Tensor means = Tensor.of(a, valid, t).matmul(tokens);
        Tensor p = normaliseRows(prototypes.gatherRows(validExperts));
        Tensor logits = p.matmul(normaliseRows(means), false, true).mul(1f / tau);
        // cross-entropy with diagonal targets: −mean_v logSoftmax(logits)[v, v]
        Tensor eye = Tensor.zeros(valid, valid);
        for (int v = 0; v < valid; v++) eye.set(1f, v, v);
        return logits.logSoftmax().mul(eye).sum().mul(-1f / valid);
    }

    /** x / ‖x‖ per row (F.normalize). */
    static Tensor normaliseRows(Tensor x) {
        return x.div(x.square().sum(1, true).add(NORM_EPS).sqrt());
    }
}
