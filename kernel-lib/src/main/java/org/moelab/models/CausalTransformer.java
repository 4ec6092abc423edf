package org.moelab.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.moe.AuxLosses;
import org.moelab.moe.MoELayer;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.Embedding;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Layer;
import org.moelab.nn.LayerNorm;
import org.moelab.nn.LearnedPositionalEmbedding;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.MultiHeadAttention;
import org.moelab.nn.NormKind;
import org.moelab.nn.PositionKind;
import org.moelab.nn.Require;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The decoder-only language model, the one every paper's language model is a configuration of: token embedding
 * ({@code embed}), positions ({@code pos}: learned, sinusoidal or none), {@code blocks.0 …} pre-norm
 * {@link DecoderBlock}s with a pluggable token mixer ({@code attn}) and feed-forward slot ({@code ffn}), a final norm
 * ({@code norm}) and an LM head ({@code head}):
 * <pre>
 *   x⁰ = E[tokens] (+ P[positions]),   x^{l+1} = block_l(x^l),   logits = head(norm(x^L))
 * </pre>
 * Configurations: {@link #builder()} (GPT-style, dense attention and FFN; LoRA-Mixer's base, the copy task, the
 * benchmarks); {@link #moeLanguageModel} (SMoE-Dropout, EvoMoE and the {@code %%moe} lm: an FFN slot per block,
 * dense or an MoE layer with any router); MoM's recall study assembles its mixer model with the public constructor
 * ({@code MomExperiment.model}). Routed sub-layers record their routing in the pass ({@link RoutingContext}); losses
 * and metrics read it from there.
 */
public final class CausalTransformer extends Module {
    /** Builds block {@code layer}'s feed-forward slot: a {@link Layer} (dense) or a {@link org.moelab.moe.RoutedLayer} (MoE). */
    @FunctionalInterface
    public interface SlotFactory {
        Module create(int layer, int dModel, Rng rng);
    }

    private final int vocab, dModel, maxLen;
    private final Embedding embed;
    private final Layer pos, norm;
    private final List<DecoderBlock> blocks;
    private final Linear head;

    /**
     * A decoder from its parts, registered in this order (which fixes the parameters' order).
     *
     * @param embed     token embedding [vocab, d]
     * @param positions position encoding added to the embedding, [B, T, d] → [B, T, d], or null for none
     * @param blocks    the blocks, applied in order
     * @param norm      the final norm before the head
     * @param head      the LM head d → vocab
     * @param maxLen    the longest sequence the model accepts (its positions' length)
     */
    public CausalTransformer(Embedding embed, Layer positions, List<DecoderBlock> blocks, Layer norm, Linear head, int maxLen) {
        String owner = "CausalTransformer";
        this.embed = registerModule("embed", Require.notNull(owner, "embed", embed));
        this.pos = positions == null ? null : registerModule("pos", positions);
        Require.notNull(owner, "blocks", blocks);
        if (blocks.isEmpty()) throw new IllegalArgumentException(owner + ": blocks must not be empty");
        BlockList list = registerModule("blocks", new BlockList());
        for (DecoderBlock b : blocks) list.add(Require.notNull(owner, "block", b));
        this.blocks = Collections.unmodifiableList(new ArrayList<>(blocks));
        this.norm = registerModule("norm", Require.notNull(owner, "norm", norm));
        this.head = registerModule("head", Require.notNull(owner, "head", head));
        this.vocab = head.outFeatures();
        this.dModel = head.inFeatures();
        this.maxLen = Require.positive(owner, "maxLen", maxLen);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The character/token language model of the MoE papers (SMoE-Dropout, EvoMoE, the {@code %%moe} lm): learned
     * positions, LayerNorm, causal attention with biases, block {@code i}'s feed-forward from {@code slots}, a head
     * with bias. Every weight comes from the one stream {@code rng}, in the order embedding, positions, then per
     * block its feed-forward slot and its attention, then the head.
     */
    public static CausalTransformer moeLanguageModel(int vocab, int dModel, int heads, int layers, int context, float dropout,
                                                     SlotFactory slots, Rng rng) {
        String owner = "CausalTransformer.moeLanguageModel";
        Require.positive(owner, "vocab", vocab);
        Require.positive(owner, "dModel", dModel);
        Require.positive(owner, "heads", heads);
        if (dModel % heads != 0) throw new IllegalArgumentException(owner + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
        Require.positive(owner, "layers", layers);
        Require.positive(owner, "context", context);
        Require.inRange(owner, "dropout", dropout, 0f, 1f);
        Require.notNull(owner, "slot factory", slots);
        Embedding embed = new Embedding(vocab, dModel, rng);
        Layer positions = new LearnedPositionalEmbedding(context, dModel, rng);
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Module ffn = Require.notNull(owner, "slot " + i, slots.create(i, dModel, rng));
            Layer attention = new MultiHeadAttention(dModel, heads, true, rng);
            blocks.add(new DecoderBlock(dModel, new LayerNorm(dModel), attention, new LayerNorm(dModel), ffn, dropout));
        }
        return new CausalTransformer(embed, positions, blocks, new LayerNorm(dModel), new Linear(dModel, vocab, rng), context);
    }

    /** Token embedding followed by positions: the blocks' input [batch, time, d]. */
    public Tensor embed(int[] tokens, int batch, int time) {
        Require.positive("CausalTransformer", "batch", batch);
        Require.positive("CausalTransformer", "time", time);
        if (tokens == null || tokens.length != batch * time) {
            throw new IllegalArgumentException("CausalTransformer: tokens must hold batch*time = " + batch + "*" + time + " = " + batch * time
                    + " ids, got " + (tokens == null ? "null" : tokens.length));
        }
        if (time > maxLen) throw new IllegalArgumentException("CausalTransformer: time=" + time + " exceeds maxLen=" + maxLen);
        Tensor x = embed.forward(tokens, batch, time);
        return pos == null ? x : pos.forward(x);
    }

    /** The final-normed hidden states [batch, time, d] (what the head reads), every block run in {@code pass}. */
    public Tensor hidden(int[] tokens, int batch, int time, RoutingContext pass) {
        // Token ids ride along for routers that route by them (hash routing).
        RoutingContext ctx = pass.tokenIds() == null ? pass.withTokenIds(tokens) : pass;
        Tensor x = embed(tokens, batch, time);
        for (DecoderBlock block : blocks) x = block.forward(x, ctx);
        return norm.forward(x);
    }

    /** Logits [batch, time, vocab] in {@code pass}. */
    public Tensor forward(int[] tokens, int batch, int time, RoutingContext pass) {
        return head.forward(hidden(tokens, batch, time, pass));
    }

    /** Logits [batch, time, vocab] in an evaluation pass (no dropout, no routing noise). */
    public Tensor forward(int[] tokens, int batch, int time) {
        return forward(tokens, batch, time, RoutingContext.evaluation());
    }

    /** Final norm and LM head for the last block's output (a caller that runs the blocks itself). */
    public Tensor logits(Tensor lastBlockOutput) {
        return head.forward(norm.forward(lastBlockOutput));
    }

    /**
     * Logits [positions, vocab] at the given flat positions of {@code hidden} [batch, time, d] only: a task that labels a
     * handful of positions (MQAR) skips the d × vocab unembedding elsewhere, the largest CPU saving there.
     */
    public Tensor logitsAt(Tensor hidden, int[] flatPositions) {
        return head.forward(hidden.reshape(-1, dModel).gatherRows(flatPositions));
    }

    /** Mean next-token cross-entropy in {@code pass}; {@code targets} is [batch, time] with {@link Losses#IGNORE_INDEX} to skip. */
    public Tensor loss(int[] tokens, int[] targets, int batch, int time, RoutingContext pass) {
        if (targets == null || targets.length != batch * time) {
            throw new IllegalArgumentException("CausalTransformer.loss: targets must hold batch*time = " + batch * time + " ids, got " + (targets == null ? "null" : targets.length));
        }
        return Losses.crossEntropy(forward(tokens, batch, time, pass).reshape(batch * time, vocab), targets);
    }

    /** {@link #loss(int[], int[], int, int, RoutingContext)} in an evaluation pass. */
    public Tensor loss(int[] tokens, int[] targets, int batch, int time) {
        return loss(tokens, targets, batch, time, RoutingContext.evaluation());
    }

    /** Mean next-token cross-entropy (nats) of a batch in {@code pass}, its per-token labels (if any) in the pass. */
    public Tensor loss(Batch batch, RoutingContext pass) {
        RoutingContext ctx = batch.hasLabels() ? pass.withLabels(batch.labels()) : pass;
        return loss(batch.inputs(), batch.targets(), batch.rows(), batch.context(), ctx);
    }

    /** Validation bits per character over the given batches, in eval mode without gradients. */
    public double bitsPerChar(List<Batch> batches) {
        return bitsPerChar(batches, 0);
    }

    /** Validation bits per character with k experts per token in every top-k router (0: each router's own k). */
    public double bitsPerChar(List<Batch> batches, int k) {
        return evaluate(() -> {
            double nats = 0;
            long n = 0;
            for (Batch b : batches) {
                RoutingContext pass = RoutingContext.evaluation();
                nats += loss(b, k > 0 ? pass.withTopK(k) : pass).item() * b.positions();
                n += b.positions();
            }
            return CharCorpus.bitsPerChar(nats / Math.max(1, n));
        });
    }

    /** Runs {@code work} in eval mode without gradients, restoring the training mode afterwards. */
    public <T> T evaluate(Supplier<T> work) {
        boolean wasTraining = isTraining();
        eval();
        try (var scope = GradMode.noGrad()) {
            return work.get();
        } finally {
            train(wasTraining);
        }
    }

    /** The blocks' sub-layers (token mixers and feed-forward slots) of the given type, in block order. */
    public <T> List<T> sublayers(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (DecoderBlock b : blocks) {
            if (type.isInstance(b.attention())) out.add(type.cast(b.attention()));
            if (type.isInstance(b.feedForward())) out.add(type.cast(b.feedForward()));
        }
        return out;
    }

    /** The MoE layers in block order (empty for a dense model). */
    public List<MoELayer> moeLayers() {
        return sublayers(MoELayer.class);
    }

    /** Σ over MoE layers of the weighted aux losses of one pass (the routings recorded in {@code pass}). */
    public Tensor auxLoss(RoutingContext pass, float balanceWeight, float zWeight) {
        return AuxLosses.total(pass.recorder().of(moeLayers()), balanceWeight, zWeight);
    }

    public List<DecoderBlock> blocks() {
        return blocks;
    }

    public int vocab() {
        return vocab;
    }

    public int dModel() {
        return dModel;
    }

    /** The longest sequence accepted (the context). */
    public int maxLen() {
        return maxLen;
    }

    /** Holds the blocks so that they are named {@code blocks.0}, {@code blocks.1}, … */
    private static final class BlockList extends Module {
        void add(DecoderBlock block) {
            registerModule(Integer.toString(children().size()), block);
        }
    }

    /**
     * The GPT-style dense decoder; vocab, dModel, heads, layers and maxLen are required. Every part is initialised
     * from its own fork of the seed ({@code embed}, {@code pos}, {@code blocks.i}, {@code head}), so changing the
     * number of layers does not change the embedding's initial values.
     */
    public static final class Builder {
        private int vocab = -1, dModel = -1, heads = -1, layers = -1, maxLen = -1, ffnHidden = -1;
        private FeedForward.Activation activation = FeedForward.Activation.GELU;
        private NormKind norm = NormKind.LAYER_NORM;
        private PositionKind positions = PositionKind.LEARNED;
        private float dropout = 0f;
        private long seed = Rng.defaultSeed();

        public Builder vocab(int v) { vocab = v; return this; }

        public Builder dModel(int v) { dModel = v; return this; }

        public Builder heads(int v) { heads = v; return this; }

        public Builder layers(int v) { layers = v; return this; }

        public Builder maxLen(int v) { maxLen = v; return this; }

        /** Feed-forward width; defaults to 4·dModel. */
        public Builder ffnHidden(int v) { ffnHidden = v; return this; }

        public Builder activation(FeedForward.Activation v) { activation = v; return this; }

        public Builder norm(NormKind v) { norm = v; return this; }

        /** Residual dropout, active in training passes. */
        public Builder dropout(float v) { dropout = v; return this; }

        public Builder positions(PositionKind v) { positions = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public CausalTransformer build() {
            String owner = "CausalTransformer";
            Require.required(owner, "vocab", vocab);
            Require.required(owner, "dModel", dModel);
            Require.required(owner, "heads", heads);
            Require.required(owner, "layers", layers);
            Require.required(owner, "maxLen", maxLen);
            if (dModel % heads != 0) throw new IllegalArgumentException(owner + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
            int hidden = ffnHidden == -1 ? 4 * dModel : Require.positive(owner, "ffnHidden", ffnHidden);
            Require.notNull(owner, "activation (GELU or SWIGLU)", activation);
            Require.notNull(owner, "norm (LAYER_NORM or RMS_NORM)", norm);
            Require.notNull(owner, "positions (LEARNED or SINCOS)", positions);
            Require.inRange(owner, "dropout", dropout, 0f, 1f);
            if (positions == PositionKind.SINCOS && dModel % 2 != 0) {
                throw new IllegalArgumentException(owner + ": SINCOS positions need an even dModel, got " + dModel);
            }
            Rng rng = new Rng(seed);
            Embedding embed = new Embedding(vocab, dModel, rng.fork("embed"));
            Layer pos = positions.create(maxLen, dModel, rng.fork("pos"));
            List<DecoderBlock> blocks = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                Rng blockRng = rng.fork("blocks." + i);
                Layer attn = new MultiHeadAttention(dModel, heads, true, true, blockRng);
                Layer ffn = new FeedForward(dModel, hidden, activation, true, blockRng);
                blocks.add(new DecoderBlock(dModel, norm.create(dModel), attn, norm.create(dModel), ffn, dropout));
            }
            return new CausalTransformer(embed, pos, blocks, norm.create(dModel), new Linear(dModel, vocab, false, rng.fork("head")), maxLen);
        }
    }
}
