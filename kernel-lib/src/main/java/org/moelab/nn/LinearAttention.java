package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Single-memory linear attention (Katharopoulos et al. 2020; MoM's mom_naive backend): S_t = S_{t−1} + φ(k_t) v_tᵀ,
 * o_t = d_k^{-1/2} S_tᵀ φ(q_t), no decay and no delta correction, RMSNorm per head on the output, then W_o.
 * φ is identity or elu+1. The short causal conv (width 4, SiLU) on q/k/v is on by default: without it the
 * layer has no notion of "previous token" and cannot even start associative recall, and zoology's linear
 * baselines carry the same conv, so the comparison with Gated DeltaNet isolates the update rule.
 * Training uses the parallel form ({@link CausalLinearAttention}); {@link DeltaRule#scan} is the recurrent one.
 */
public final class LinearAttention extends Layer {
    private final int dModel, heads, dk, dv;
    private final DeltaRule.FeatureMap phi;
    private final Linear q, k, v, out;
    private final ShortConvolution convQ, convK, convV;
    private final RMSNorm norm;

    public LinearAttention(int dModel, int heads, int dk, int dv, DeltaRule.FeatureMap phi, boolean shortConv, Rng rng) {
        String o = "LinearAttention";
        this.dModel = Require.positive(o, "dModel", dModel);
        this.heads = Require.positive(o, "heads", heads);
        this.dk = Require.positive(o, "d_k", dk);
        this.dv = Require.positive(o, "d_v", dv);
        this.phi = Require.notNull(o, "feature map", phi);
        if (phi == DeltaRule.FeatureMap.L2_NORM) throw new IllegalArgumentException(o + ": feature map must be IDENTITY or ELU_PLUS_ONE (L2 norm belongs to Gated DeltaNet)");
        this.q = registerModule("q", new Linear(dModel, heads * dk, false, rng));
        this.k = registerModule("k", new Linear(dModel, heads * dk, false, rng));
        this.v = registerModule("v", new Linear(dModel, heads * dv, false, rng));
        this.convQ = shortConv ? registerModule("convQ", new ShortConvolution(heads * dk, 4, rng)) : null;
        this.convK = shortConv ? registerModule("convK", new ShortConvolution(heads * dk, 4, rng)) : null;
        this.convV = shortConv ? registerModule("convV", new ShortConvolution(heads * dv, 4, rng)) : null;
        this.norm = registerModule("norm", new RMSNorm(dv, 1e-5f));
        this.out = registerModule("out", new Linear(heads * dv, dModel, false, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, dModel, 3);
        int b = x.size(0), t = x.size(1);
        Tensor qq = conv(convQ, q.forward(x)).reshape(b, t, heads, dk);
        Tensor kk = conv(convK, k.forward(x)).reshape(b, t, heads, dk);
        Tensor vv = conv(convV, v.forward(x)).reshape(b, t, heads, dv);
        Tensor o = CausalLinearAttention.parallel(qq, kk, vv, phi);
        return out.forward(norm.forward(o).reshape(b, t, heads * dv));
    }

    private static Tensor conv(ShortConvolution c, Tensor x) {
        return c == null ? x : c.forward(x);
    }

    @Override
    public String toString() {
        return "LinearAttention(dModel=" + dModel + ", heads=" + heads + ", d_k=" + dk + ", d_v=" + dv + ", φ=" + phi + (convQ == null ? ")" : ", short conv)");
    }
}
