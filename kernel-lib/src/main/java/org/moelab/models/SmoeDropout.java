package org.moelab.models;

import java.util.List;
import java.util.Map;
import java.util.function.LongToIntFunction;
import org.moelab.data.Batch;
import org.moelab.moe.Experts;
import org.moelab.moe.MoELayer;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.TopKRouter;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Module;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;
import org.moelab.train.StepSchedule;

/**
 * SMoE-Dropout — "Sparse MoE as the New Dropout: Scaling Dense and Self-Slimmable Transformers" (Chen, Zhang,
 * Jaiswal, Liu, Wang; ICLR 2023), at character-LM scale.
 *
 * <p>The method, top to bottom:
 * <ol>
 *   <li><b>Split</b> a dense FFN of hidden size H evenly into N experts of H/N (same parameter count):
 *       E_i(z) = W2_i·act(W1_i·z + b1_i) + b2_i. Code: {@link Experts#splitting}.</li>
 *   <li><b>Route</b> with a random linear router that is frozen but not detached:
 *       logits_t = W_r·a_t + b_r, W_r ~ N(0, 0.02), b_r = 0, never updated; gradients still reach a_t. Code:
 *       {@link TopKRouter#frozenRandom}.</li>
 *   <li><b>Combine</b> the top-k experts with the softmax over the k selected logits:
 *       MoE(a)_t = Σ_{i∈TopK(t)} softmax(logits_t[TopK(t)])_i · E_i(a_t)  (k = N: softmax over all logits).
 *       Code: {@link TopKRouter#route}, then {@link MoELayer#forwardRouted}.</li>
 *   <li><b>Grow k</b> every step from k_min to k_max = N over T_s steps; linear (the paper's default):
 *       k_s = round((k_max − k_min)·s/T_s) + k_min, clipped to [k_min, k_max]; cosine and exponential as options.
 *       Code: {@link #kAt}, stated per pass in {@link #loss}.</li>
 *   <li><b>Self-slim</b> at inference: any k ∈ {1..N} is usable, quality should improve monotonically with k.
 *       Code: {@link #bitsPerChar}.</li>
 * </ol>
 * Baselines built by the same builder: a dense FFN of hidden H ({@link Arm#DENSE}), a learned router at fixed
 * k ({@link Arm#LEARNED}), and the frozen random router at fixed k ({@link Arm#FROZEN_FIXED_K}, isolating the
 * schedule). Deviations from the reference (Transformer-XL, post-LN, ReLU) are listed in papers/smoe-dropout.md:
 * here pre-LN blocks and GELU experts, character LM with learned positions.
 */
public final class SmoeDropout {
    /** Which model the builder makes. */
    public enum Arm { SMOE_DROPOUT, DENSE, LEARNED, FROZEN_FIXED_K }

    private final Builder config;
    private final CausalTransformer model;
    private final LongToIntFunction kSchedule;

    private SmoeDropout(Builder b) {
        this.config = b;
        Rng rng = new Rng(b.seed).fork("init");
        this.model = CausalTransformer.moeLanguageModel(b.vocab, b.dModel, b.heads, b.layers, b.context, b.dropout, this::slot, rng);
        // k_s = round((k_max − k_min)·s/T_s) + k_min (linear; cosine/exponential per the reference's formulas).
        this.kSchedule = StepSchedule.rounded(StepSchedule.of(b.shape, b.kMin, b.experts, b.scheduleSteps), b.kMin, b.experts);
    }

    private Module slot(int layer, int dModel, Rng rng) {
        Builder b = config;
        if (b.arm == Arm.DENSE) return new FeedForward(dModel, b.hidden, FeedForward.Activation.GELU, rng);
        Experts experts = Experts.splitting(b.hidden, b.experts, dModel, Unary.GELU, rng);
        TopKRouter router = b.arm == Arm.LEARNED ? TopKRouter.learned(dModel, b.experts, b.fixedK, rng)
                : TopKRouter.frozenRandom(dModel, b.experts, b.arm == Arm.FROZEN_FIXED_K ? b.fixedK : b.kMin, rng);
        return new MoELayer(router, experts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The k the schedule asks for at a training step (fixed-k arms return their k). This schedule is k's one owner:
     * every pass states its k through {@link RoutingContext#withTopK}; the routers are never mutated.
     */
    public int kAt(long step) {
        return config.arm == Arm.SMOE_DROPOUT ? kSchedule.applyAsInt(step) : config.fixedK;
    }

    /** The pass's k: the one the caller set in {@code context}, else the schedule's at {@code context.step()}. */
    private RoutingContext withK(RoutingContext context) {
        if (config.arm == Arm.DENSE) return context;
        return context.withTopK(context.topK() > 0 ? context.topK() : kAt(context.step()));
    }

    /**
     * Cross-entropy, plus the Switch balance loss for a learned router when {@code balanceWeight} > 0, with the k of
     * {@code context} ({@link RoutingContext#withTopK}) or else the schedule's k at {@code context.step()}.
     */
    public Tensor loss(Batch batch, RoutingContext context) {
        RoutingContext pass = withK(context);
        Tensor ce = model.loss(batch, pass);
        return config.arm == Arm.LEARNED && config.balanceWeight > 0 ? ce.add(model.auxLoss(pass, config.balanceWeight, 0f)) : ce;
    }

    /** Validation bits per character with k experts active (ignored by the dense arm). */
    public double bitsPerChar(List<Batch> validation, int k) {
        return model.bitsPerChar(validation, config.arm == Arm.DENSE ? 0 : k);
    }

    /** Per-expert share of the routed slots of a pass, averaged over layers (empty for the dense arm). */
    public double[] expertTokenShare(RoutingContext pass) {
        List<MoELayer> layers = model.moeLayers();
        if (layers.isEmpty()) return new double[0];
        double[] share = new double[config.experts];
        for (Routing r : pass.recorder().of(layers)) {
            int[] c = r.tokensPerExpert();
            double total = java.util.Arrays.stream(c).sum();
            for (int e = 0; e < c.length; e++) share[e] += c[e] / total / layers.size();
        }
        return share;
    }

    /** Per-expert token share with k experts active on one evaluation batch (a random router should be balanced). */
    public double[] expertTokenShare(Batch batch, int k) {
        RoutingContext pass = RoutingContext.evaluation().withTopK(k);
        model.evaluate(() -> model.loss(batch, pass));
        return expertTokenShare(pass);
    }

    public Module module() {
        return model;
    }

    public CausalTransformer languageModel() {
        return model;
    }

    public Arm arm() {
        return config.arm;
    }

    public int experts() {
        return config.experts;
    }

    /** The configuration as strings, for checkpoints and provenance. */
    public Map<String, String> describe() {
        return Provenance.of("smoe-dropout", config);
    }

    @Override
    public String toString() {
        return "SmoeDropout[" + config.arm + ", N=" + config.experts + ", " + model.numParameters() + " parameters]";
    }

    /** Hyper-parameters with the CPU-scale defaults of the reproduction plan; {@link #build()} validates them all. */
    public static final class Builder implements Cloneable {
        private Arm arm = Arm.SMOE_DROPOUT;
        private int vocab = -1, layers = 2, dModel = 64, heads = 4, context = 64, experts = 8, hidden = 256, kMin = 2, fixedK = 2;
        private long scheduleSteps = 2000;
        private StepSchedule.Shape shape = StepSchedule.Shape.LINEAR;
        private float dropout = 0.1f, balanceWeight = 0f;
        private long seed = Rng.defaultSeed();

        public Builder arm(Arm v) { arm = v; return this; }
        public Builder vocab(int v) { vocab = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder dModel(int v) { dModel = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder context(int v) { context = v; return this; }
        /** N, the number of experts the dense FFN is split into. */
        public Builder experts(int v) { experts = v; return this; }
        /** Total FFN hidden size H (the dense arm's; each expert gets H/N). */
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder kMin(int v) { kMin = v; return this; }
        /** k for the fixed-k arms (learned router, frozen router without schedule). */
        public Builder fixedK(int v) { fixedK = v; return this; }
        public Builder schedule(StepSchedule.Shape v) { shape = v; return this; }
        /** T_s: steps over which k grows from k_min to N (usually the training length). */
        public Builder scheduleSteps(long v) { scheduleSteps = v; return this; }
        public Builder dropout(float v) { dropout = v; return this; }
        /** Switch balance-loss coefficient for the learned-router arm (0 = none, the reference default). */
        public Builder balanceWeight(float v) { balanceWeight = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public SmoeDropout build() {
            String o = "SmoeDropout";
            if (vocab < 1) throw new IllegalArgumentException(o + ": vocab must be >= 1 (the corpus's vocabSize()), got " + vocab);
            for (var e : Map.of("layers", layers, "dModel", dModel, "heads", heads, "context", context, "experts", experts, "hidden", hidden).entrySet()) {
                if (e.getValue() < 1) throw new IllegalArgumentException(o + ": " + e.getKey() + " must be >= 1, got " + e.getValue());
            }
            if (dModel % heads != 0) throw new IllegalArgumentException(o + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
            if (hidden % experts != 0) throw new IllegalArgumentException(o + ": hidden must be divisible by experts (each expert gets hidden/experts units): hidden=" + hidden + ", experts=" + experts);
            if (kMin < 1 || kMin > experts) throw new IllegalArgumentException(o + ": kMin must be in [1, experts=" + experts + "], got " + kMin);
            if (fixedK < 1 || fixedK > experts) throw new IllegalArgumentException(o + ": fixedK must be in [1, experts=" + experts + "], got " + fixedK);
            if (scheduleSteps < 1) throw new IllegalArgumentException(o + ": scheduleSteps must be >= 1, got " + scheduleSteps);
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException(o + ": dropout must be in [0, 1), got " + dropout);
            if (!(balanceWeight >= 0)) throw new IllegalArgumentException(o + ": balanceWeight must be >= 0, got " + balanceWeight);
            if (arm == null || shape == null) throw new IllegalArgumentException(o + ": arm and schedule must not be null");
            // The model keeps its own copy, so reusing this builder after build() never changes a built model.
            return new SmoeDropout(copy());
        }

        private Builder copy() {
            try {
                return (Builder) clone(); // every field is a primitive, an enum or immutable
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
