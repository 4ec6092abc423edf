package org.moelab.nn;

import java.util.function.UnaryOperator;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Pre-norm transformer block: x + drop(attn(norm1(x))), then x + drop(ffn(norm2(x))), on x [B, T, dModel].
 * Sub-module names: {@code norm1}, {@code attn}, {@code norm2}, {@code ffn}.
 */
public final class TransformerBlock extends Layer {
    private final int dModel;
    private final Layer norm1, norm2;
    private final MultiHeadAttention attn;
    private final FeedForward ffn;
    private final DropoutLayer drop;

    private TransformerBlock(Builder b, Rng rng) {
        this.dModel = b.dModel;
        this.norm1 = registerModule("norm1", b.norm.create(b.dModel));
        this.attn = registerModule("attn", new MultiHeadAttention(b.dModel, b.heads, b.causal, b.bias, rng));
        this.norm2 = registerModule("norm2", b.norm.create(b.dModel));
        this.ffn = registerModule("ffn", new FeedForward(b.dModel, b.ffnHidden, b.activation, b.bias, rng));
        // Its own stream seeded from the block's: two blocks sharing an Rng still draw different masks.
        this.drop = registerModule("drop", new DropoutLayer(b.dropout, new Rng(rng.nextLong())));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, attn::forward, ffn::forward);
    }

    /**
     * The block with this pass's token mixer and feed-forward in its two slots: each hook receives its sub-layer's
     * normed input and returns the sub-layer's output; the block keeps the norms, residuals and dropout. LoRA-Mixer
     * routes the attention projections (or the FFN) of a frozen base this way instead of re-running the block.
     */
    public Tensor forward(Tensor x, UnaryOperator<Tensor> attention, UnaryOperator<Tensor> feedForward) {
        Require.input(this, x, dModel, 3);
        Tensor h = x.add(drop.forward(attention.apply(norm1.forward(x))));
        return h.add(drop.forward(feedForward.apply(norm2.forward(h))));
    }

    @Override
    public String toString() {
        return "TransformerBlock(dModel=" + dModel + ")";
    }

    /** The norm before attention; its output is what LoRA-Mixer's per-layer router reads. */
    public Layer attentionNorm() {
        return norm1;
    }

    public Layer feedForwardNorm() {
        return norm2;
    }

    public MultiHeadAttention attention() {
        return attn;
    }

    public FeedForward feedForward() {
        return ffn;
    }

    /** Block hyper-parameters; dModel and heads are required, the rest default to a GPT-style block. */
    public static final class Builder {
        private int dModel = -1, heads = -1, ffnHidden = -1;
        private FeedForward.Activation activation = FeedForward.Activation.GELU;
        private NormKind norm = NormKind.LAYER_NORM;
        private boolean causal = true, bias = true;
        private float dropout = 0f;

        public Builder dModel(int v) { dModel = v; return this; }

        public Builder heads(int v) { heads = v; return this; }

        /** Hidden width of the feed-forward; defaults to 4·dModel. */
        public Builder ffnHidden(int v) { ffnHidden = v; return this; }

        public Builder activation(FeedForward.Activation v) { activation = v; return this; }

        public Builder norm(NormKind v) { norm = v; return this; }

        public Builder causal(boolean v) { causal = v; return this; }

        public Builder bias(boolean v) { bias = v; return this; }

        public Builder dropout(float v) { dropout = v; return this; }

        public TransformerBlock build(Rng rng) {
            validate("TransformerBlock");
            Require.notNull("TransformerBlock", "rng", rng);
            return new TransformerBlock(this, rng);
        }

        int dModelValue() {
            return dModel;
        }

        NormKind normValue() {
            return norm;
        }

        void validate(String owner) {
            Require.required(owner, "dModel", dModel);
            Require.required(owner, "heads", heads);
            if (dModel % heads != 0) throw new IllegalArgumentException(owner + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
            if (ffnHidden == -1) ffnHidden = 4 * dModel;
            Require.positive(owner, "ffnHidden", ffnHidden);
            Require.notNull(owner, "activation (GELU or SWIGLU)", activation);
            Require.notNull(owner, "norm (LAYER_NORM or RMS_NORM)", norm);
            Require.inRange(owner, "dropout", dropout, 0f, 1f);
        }
    }
}
