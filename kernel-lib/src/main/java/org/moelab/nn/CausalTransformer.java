package org.moelab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * A small decoder-only language model: token embedding + positions, N pre-norm causal {@link TransformerBlock}s,
 * a final norm and an LM head. Names: {@code embed}, {@code pos}, {@code blocks.<i>.…}, {@code norm}, {@code head}.
 *
 * <p>Every part is initialised from its own fork of the seed ({@code embed}, {@code pos}, {@code blocks.i},
 * {@code head}), so changing the number of layers does not change the embedding's initial values.
 */
public final class CausalTransformer extends Module {
    private final int vocab, maxLen;
    private final Embedding embed;
    private final Layer pos, norm;
    private final List<TransformerBlock> blocks;
    private final Linear head;

    private CausalTransformer(Builder b) {
        Rng rng = new Rng(b.seed);
        this.vocab = b.vocab;
        this.maxLen = b.maxLen;
        this.embed = registerModule("embed", new Embedding(b.vocab, b.block.dModelValue(), rng.fork("embed")));
        this.pos = registerModule("pos", b.positions.create(b.maxLen, b.block.dModelValue(), rng.fork("pos")));
        BlockList list = registerModule("blocks", new BlockList());
        List<TransformerBlock> bs = new ArrayList<>();
        for (int i = 0; i < b.layers; i++) bs.add(list.add(b.block.build(rng.fork("blocks." + i))));
        this.blocks = Collections.unmodifiableList(bs);
        this.norm = registerModule("norm", b.block.normValue().create(b.block.dModelValue()));
        this.head = registerModule("head", new Linear(b.block.dModelValue(), b.vocab, false, rng.fork("head")));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Logits [batch, time, vocab] for {@code tokens} laid out [batch, time] row-major. */
    public Tensor forward(int[] tokens, int batch, int time) {
        Require.positive("CausalTransformer", "batch", batch);
        Require.positive("CausalTransformer", "time", time);
        if (tokens == null || tokens.length != batch * time) {
            throw new IllegalArgumentException("CausalTransformer: tokens must hold batch*time = " + batch + "*" + time + " = " + batch * time
                    + " ids, got " + (tokens == null ? "null" : tokens.length));
        }
        Tensor x = embed(tokens, batch, time);
        for (TransformerBlock block : blocks) x = block.forward(x);
        return logits(x);
    }

    /** Mean next-token cross-entropy; {@code targets} is [batch, time] with {@link Losses#IGNORE_INDEX} to skip. */
    public Tensor loss(int[] tokens, int[] targets, int batch, int time) {
        Tensor logits = forward(tokens, batch, time);
        if (targets == null || targets.length != batch * time) {
            throw new IllegalArgumentException("CausalTransformer.loss: targets must hold batch*time = " + batch * time + " ids, got " + (targets == null ? "null" : targets.length));
        }
        return Losses.crossEntropy(logits.reshape(batch * time, vocab), targets);
    }

    /** Token embedding followed by positions: the blocks' input [batch, time, dModel]. */
    public Tensor embed(int[] tokens, int batch, int time) {
        if (time > maxLen) throw new IllegalArgumentException("CausalTransformer: time=" + time + " exceeds maxLen=" + maxLen);
        return pos.forward(embed.forward(tokens, batch, time));
    }

    /** Final norm and LM head: logits for the last block's output. */
    public Tensor logits(Tensor hidden) {
        return head.forward(norm.forward(hidden));
    }

    public List<TransformerBlock> blocks() {
        return blocks;
    }

    public int vocab() {
        return vocab;
    }

    public int dModel() {
        return head.inFeatures();
    }

    public int maxLen() {
        return maxLen;
    }

    /** Holds the blocks so that they are named {@code blocks.0}, {@code blocks.1}, … */
    private static final class BlockList extends Module {
        TransformerBlock add(TransformerBlock block) {
            return registerModule(Integer.toString(children().size()), block);
        }
    }

    /** Model hyper-parameters; vocab, dModel, heads, layers and maxLen are required. */
    public static final class Builder {
        private final TransformerBlock.Builder block = TransformerBlock.builder().causal(true);
        private int vocab = -1, layers = -1, maxLen = -1;
        private PositionKind positions = PositionKind.LEARNED;
        private long seed = Rng.defaultSeed();

        public Builder vocab(int v) { vocab = v; return this; }

        public Builder dModel(int v) { block.dModel(v); return this; }

        public Builder heads(int v) { block.heads(v); return this; }

        public Builder layers(int v) { layers = v; return this; }

        public Builder maxLen(int v) { maxLen = v; return this; }

        /** Feed-forward width; defaults to 4·dModel. */
        public Builder ffnHidden(int v) { block.ffnHidden(v); return this; }

        public Builder activation(FeedForward.Activation v) { block.activation(v); return this; }

        public Builder norm(NormKind v) { block.norm(v); return this; }

        public Builder dropout(float v) { block.dropout(v); return this; }

        public Builder positions(PositionKind v) { positions = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public CausalTransformer build() {
            String owner = "CausalTransformer";
            Require.required(owner, "vocab", vocab);
            Require.required(owner, "layers", layers);
            Require.required(owner, "maxLen", maxLen);
            Require.notNull(owner, "positions (LEARNED or SINCOS)", positions);
            block.validate(owner);
            if (positions == PositionKind.SINCOS && block.dModelValue() % 2 != 0) {
                throw new IllegalArgumentException(owner + ": SINCOS positions need an even dModel, got " + block.dModelValue());
            }
            return new CausalTransformer(this);
        }
    }
}
