package org.moelab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.Embedding;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Layer;
import org.moelab.nn.LearnedPositionalEmbedding;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.RMSNorm;
import org.moelab.nn.Require;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The small language model the recall study compares token mixers in: embedding (+ learned positions for softmax
 * attention, which has no other notion of order), {@code layers} pre-norm blocks x ← x + mixer(RMSNorm(x)) and
 * optionally x ← x + MLP(RMSNorm(x)), a final RMSNorm and a linear head. Only the mixer differs between arms
 * (MoM's block, A2 of the notes). The head runs only at the positions asked for: MQAR labels a handful of
 * positions, and skipping the D×V unembedding elsewhere is the largest CPU saving.
 */
public final class MixerLanguageModel extends Module {
    private final int vocab, dModel, context;
    private final Embedding embedding;
    private final LearnedPositionalEmbedding positions;
    private final List<Layer> mixers = new ArrayList<>();
    private final List<RMSNorm> mixerNorms = new ArrayList<>(), mlpNorms = new ArrayList<>();
    private final List<FeedForward> mlps = new ArrayList<>();
    private final RMSNorm finalNorm;
    private final Linear head;

    /**
     * @param mixer builds block i's token mixer from (i, rng)
     * @param mlpHidden hidden size of a GELU MLP after each mixer, 0 for none
     */
    public MixerLanguageModel(int vocab, int dModel, int layers, int context, boolean learnedPositions, int mlpHidden,
                              BiFunction<Integer, Rng, Layer> mixer, Rng rng) {
        String o = "MixerLanguageModel";
        this.vocab = Require.positive(o, "vocab", vocab);
        this.dModel = Require.positive(o, "dModel", dModel);
        this.context = Require.positive(o, "context", context);
        Require.positive(o, "layers", layers);
        this.embedding = registerModule("embedding", new Embedding(vocab, dModel, rng));
        this.positions = learnedPositions ? registerModule("positions", new LearnedPositionalEmbedding(context, dModel, rng)) : null;
        for (int i = 0; i < layers; i++) {
            mixerNorms.add(registerModule("norm" + i, new RMSNorm(dModel)));
            mixers.add(registerModule("mixer" + i, Require.notNull(o, "mixer " + i, mixer.apply(i, rng))));
            if (mlpHidden > 0) {
                mlpNorms.add(registerModule("mlpNorm" + i, new RMSNorm(dModel)));
                mlps.add(registerModule("mlp" + i, new FeedForward(dModel, mlpHidden, FeedForward.Activation.GELU, rng)));
            }
        }
        this.finalNorm = registerModule("finalNorm", new RMSNorm(dModel));
        this.head = registerModule("head", new Linear(dModel, vocab, false, rng));
    }

    /**
     * Final hidden states [B·T, D] for tokens [B·T]; {@code forcedMemory} (or null) goes to every MoM mixer, and
     * every MoM mixer records its routing in {@code pass}.
     */
    public Tensor hidden(int[] tokens, int batch, int time, int[] forcedMemory, RoutingContext pass) {
        if (time > context) throw new IllegalArgumentException("MixerLanguageModel: sequence length " + time + " exceeds the context " + context);
        if (tokens.length != batch * time) throw new IllegalArgumentException("MixerLanguageModel: " + tokens.length + " tokens for batch " + batch + " x time " + time);
        Tensor x = embedding.forward(tokens, batch, time);
        if (positions != null) x = positions.forward(x);
        for (int i = 0; i < mixers.size(); i++) {
            Tensor normed = mixerNorms.get(i).forward(x);
            Layer m = mixers.get(i);
            x = x.add(m instanceof MoM mom ? mom.forward(normed, forcedMemory, pass) : m.forward(normed));
            if (!mlps.isEmpty()) x = x.add(mlps.get(i).forward(mlpNorms.get(i).forward(x)));
        }
        return finalNorm.forward(x).reshape(batch * time, dModel);
    }

    /** Next-token logits [positions, V] at the given flat positions only. */
    public Tensor logitsAt(Tensor hidden, int[] flatPositions) {
        return head.forward(hidden.gatherRows(flatPositions));
    }

    /**
     * Mean cross-entropy at the given positions plus every MoM layer's weighted balance loss, in a pass of its own
     * (MoM's routing draws no randomness, so no training context is needed).
     */
    public Tensor loss(int[] tokens, int batch, int time, int[] positions, int[] targets, int[] forcedMemory) {
        return loss(tokens, batch, time, positions, targets, forcedMemory, RoutingContext.evaluation());
    }

    /** As {@link #loss(int[], int, int, int[], int[], int[])}, with every MoM layer recording its routing in {@code pass}. */
    public Tensor loss(int[] tokens, int batch, int time, int[] positions, int[] targets, int[] forcedMemory, RoutingContext pass) {
        Tensor ce = Losses.crossEntropy(logitsAt(hidden(tokens, batch, time, forcedMemory, pass), positions), targets);
        for (MoM m : momLayers()) ce = ce.add(m.balanceLoss(pass));
        return ce;
    }

    public List<MoM> momLayers() {
        List<MoM> out = new ArrayList<>();
        for (Layer m : mixers) if (m instanceof MoM mom) out.add(mom);
        return out;
    }

    public List<Layer> mixers() {
        return List.copyOf(mixers);
    }

    public int vocab() {
        return vocab;
    }

    public int dModel() {
        return dModel;
    }
}
