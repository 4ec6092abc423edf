package org.moelab.models;

import java.util.ArrayList;
import java.util.List;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.moe.AuxLosses;
import org.moelab.moe.MoELayer;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.Embedding;
import org.moelab.nn.LayerNorm;
import org.moelab.nn.LearnedPositionalEmbedding;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.MultiHeadAttention;
import org.moelab.nn.Require;
import org.moelab.tensor.Dropout;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The decoder-only character/token language model the MoE papers' experiments share: token embedding + learned
 * positions, pre-norm blocks x ← x + drop(attn(LN(x))), x ← x + drop(FFN(LN(x))) whose FFN is a
 * {@link FeedForwardSlot} (dense or MoE with any router), a final LayerNorm and a linear head.
 */
public final class MoeLanguageModel extends Module {
    /** Builds the FFN slot of block {@code layer}. */
    @FunctionalInterface
    public interface SlotFactory {
        FeedForwardSlot create(int layer, int dModel, Rng rng);
    }

    private final int vocab, dModel, context;
    private final float dropout;
    private final Embedding embedding;
    private final LearnedPositionalEmbedding positions;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    public MoeLanguageModel(int vocab, int dModel, int heads, int layers, int context, float dropout, SlotFactory slots, Rng rng) {
        String owner = "MoeLanguageModel";
        this.vocab = Require.positive(owner, "vocab", vocab);
        this.dModel = Require.positive(owner, "dModel", dModel);
        Require.positive(owner, "heads", heads);
        if (dModel % heads != 0) throw new IllegalArgumentException(owner + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
        Require.positive(owner, "layers", layers);
        this.context = Require.positive(owner, "context", context);
        this.dropout = Require.inRange(owner, "dropout", dropout, 0f, 1f);
        Require.notNull(owner, "slot factory", slots);
        this.embedding = registerModule("embedding", new Embedding(vocab, dModel, rng));
        this.positions = registerModule("positions", new LearnedPositionalEmbedding(context, dModel, rng));
        for (int i = 0; i < layers; i++) blocks.add(registerModule("block" + i, new Block(dModel, heads, slots.create(i, dModel, rng), rng)));
        this.finalNorm = registerModule("finalNorm", new LayerNorm(dModel));
        this.head = registerModule("head", new Linear(dModel, vocab, rng));
    }

    /** Next-token logits [batch·time, vocab] for tokens [batch·time]. */
    public Tensor forward(int[] tokens, int batch, int time, RoutingContext routing) {
        if (time > context) throw new IllegalArgumentException("MoeLanguageModel: sequence length " + time + " exceeds the context " + context);
        if (tokens.length != batch * time) throw new IllegalArgumentException("MoeLanguageModel: " + tokens.length + " tokens for batch " + batch + " x time " + time);
        RoutingContext ctx = routing.tokenIds() == null ? routing.withTokenIds(tokens) : routing;
        Tensor x = positions.forward(embedding.forward(tokens, batch, time));
        for (Block block : blocks) x = block.forward(x, ctx, dropout);
        return head.forward(finalNorm.forward(x)).reshape(batch * time, vocab);
    }

    /** Mean next-character cross-entropy (nats) of a batch. */
    public Tensor loss(Batch batch, RoutingContext routing) {
        RoutingContext ctx = batch.hasLabels() ? routing.withLabels(batch.labels()) : routing;
        return Losses.crossEntropy(forward(batch.inputs(), batch.rows(), batch.context(), ctx), batch.targets());
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
    public <T> T evaluate(java.util.function.Supplier<T> work) {
        boolean wasTraining = isTraining();
        eval();
        try (var scope = GradMode.noGrad()) {
            return work.get();
        } finally {
            train(wasTraining);
        }
    }

    /** The MoE layers in block order (empty for a dense model). */
    public List<MoELayer> moeLayers() {
        List<MoELayer> out = new ArrayList<>();
        for (Block b : blocks) if (b.ffn.moe() != null) out.add(b.ffn.moe());
        return out;
    }

    /** Σ over MoE layers of the weighted aux losses of one pass (the routings recorded in {@code pass}). */
    public Tensor auxLoss(RoutingContext pass, float balanceWeight, float zWeight) {
        return AuxLosses.total(pass.recorder().of(moeLayers()), balanceWeight, zWeight);
    }

    public int vocab() {
        return vocab;
    }

    public int context() {
        return context;
    }

    public int dModel() {
        return dModel;
    }

    /** One pre-norm block with a swappable FFN slot. */
    private static final class Block extends Module {
        private final LayerNorm attnNorm, ffnNorm;
        private final MultiHeadAttention attention;
        private final FeedForwardSlot ffn;

        Block(int dModel, int heads, FeedForwardSlot ffn, Rng rng) {
            this.attnNorm = registerModule("attnNorm", new LayerNorm(dModel));
            this.attention = registerModule("attention", new MultiHeadAttention(dModel, heads, true, rng));
            this.ffnNorm = registerModule("ffnNorm", new LayerNorm(dModel));
            this.ffn = registerModule("ffn", ffn);
        }

        Tensor forward(Tensor x, RoutingContext ctx, float dropout) {
            Tensor h = x.add(drop(attention.forward(attnNorm.forward(x)), ctx, dropout));
            return h.add(drop(ffn.forward(ffnNorm.forward(h), ctx), ctx, dropout));
        }

        /** Residual dropout: the pass's context says whether it trains (the one flag routers and dropout share). */
        private Tensor drop(Tensor x, RoutingContext ctx, float p) {
            return Dropout.dropout(x, p, ctx.rng(), ctx.training());
        }
    }
}
