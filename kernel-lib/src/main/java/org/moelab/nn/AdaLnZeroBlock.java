package org.moelab.nn;

import java.util.Arrays;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * DiT block with adaLN-Zero conditioning. From the conditioning c [B, D]:
 * (shift₁, scale₁, gate₁, shift₂, scale₂, gate₂) = Linear(silu(c)), a [B, 6D] split.
 * x ← x + gate₁ · attn(modulate(LN(x), shift₁, scale₁)); x ← x + gate₂ · ffn(modulate(LN(x), shift₂, scale₂)),
 * modulate(h, shift, scale) = h·(1 + scale) + shift. The modulation Linear starts at zero (weight and bias), so every
 * gate is 0 and the block is the identity at initialisation. The feed-forward is pluggable (a dense MLP or an MoE).
 */
public final class AdaLnZeroBlock extends Module {
    private final int dModel;
    private final LayerNorm attentionNorm, feedForwardNorm;
    private final MultiHeadAttention attention;
    private final Layer feedForward;
    private final Linear modulation;

    /** A block with a dense GELU MLP of width {@code ffnHidden}. */
    public AdaLnZeroBlock(int dModel, int heads, int ffnHidden, Rng rng) {
        this(dModel, heads, new FeedForward(dModel, ffnHidden, FeedForward.Activation.GELU, Require.notNull("AdaLnZeroBlock", "rng", rng)), rng);
    }

    /** A block whose feed-forward is {@code feedForward} ([B, N, D] → [B, N, D]). */
    public AdaLnZeroBlock(int dModel, int heads, Layer feedForward, Rng rng) {
        this.dModel = Require.positive("AdaLnZeroBlock", "dModel", dModel);
        Require.positive("AdaLnZeroBlock", "heads", heads);
        Require.notNull("AdaLnZeroBlock", "feedForward", feedForward);
        Require.notNull("AdaLnZeroBlock", "rng", rng);
        this.attentionNorm = registerModule("attentionNorm", new LayerNorm(dModel, 1e-6f));
        this.attention = registerModule("attention", new MultiHeadAttention(dModel, heads, false, rng));
        this.feedForwardNorm = registerModule("feedForwardNorm", new LayerNorm(dModel, 1e-6f));
        this.feedForward = registerModule("feedForward", feedForward);
        this.modulation = registerModule("modulation", new Linear(dModel, 6 * dModel, rng));
        Arrays.fill(modulation.weight().data(), 0f);
        Arrays.fill(modulation.bias().data(), 0f);
    }

    /** x [B, N, D], conditioning c [B, D] → [B, N, D]. */
    public Tensor forward(Tensor x, Tensor c) {
        return forward(x, c, feedForward::forward);
    }

    /**
     * The block with {@code feedForwardPass} in the FFN slot for this call: the block's own feed-forward applied
     * with the caller's per-pass arguments (an MoE layer and its forward context, say), so a routed FFN needs no
     * state set on it before the block runs.
     */
    public Tensor forward(Tensor x, Tensor c, java.util.function.UnaryOperator<Tensor> feedForwardPass) {
        Require.input(this, x, dModel, 3);
        Require.input(this, c, dModel, 2);
        if (c.size(0) != x.size(0)) throw new IllegalArgumentException("AdaLnZeroBlock: conditioning batch " + c.size(0) + " != input batch " + x.size(0));
        Tensor mod = modulation.forward(c.silu()).reshape(c.size(0), 1, 6 * dModel);
        Tensor h = modulate(attentionNorm.forward(x), chunk(mod, 0), chunk(mod, 1));
        x = x.add(chunk(mod, 2).mul(attention.forward(h)));
        h = modulate(feedForwardNorm.forward(x), chunk(mod, 3), chunk(mod, 4));
        return x.add(chunk(mod, 5).mul(feedForwardPass.apply(h)));
    }

    /** h·(1 + scale) + shift, shift and scale [B, 1, D] broadcast over tokens. */
    static Tensor modulate(Tensor h, Tensor shift, Tensor scale) {
        return h.add(h.mul(scale)).add(shift);
    }

    private Tensor chunk(Tensor mod, int i) {
        return mod.slice(2, i * dModel, (i + 1) * dModel);
    }

    public Layer feedForward() {
        return feedForward;
    }

    public MultiHeadAttention attention() {
        return attention;
    }

    public Linear modulation() {
        return modulation;
    }
}
