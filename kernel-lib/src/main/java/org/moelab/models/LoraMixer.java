package org.moelab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.moelab.moe.LoRAMixerLinear;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Layer;
import org.moelab.nn.Linear;
import org.moelab.nn.LoRAExpert;
import org.moelab.nn.Module;
import org.moelab.nn.MultiHeadAttention;
import org.moelab.nn.Require;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * LoRA-Mixer (Li et al., ICLR 2026, arXiv 2507.00029): E LoRA experts sit <em>inside</em> a frozen model's projections
 * and a per-layer router mixes them token by token. Equation numbers are those of the paper's v2 as quoted in
 * papers/lora-mixer.md; where the paper is silent the choice is ours and is a builder option.
 *
 * <p>Per layer l and token x (with h = LN₁(x), the normed state entering attention, as the router input — ours):
 * <pre>
 *   p(h)   = softmax(R_l h)                                     router                       (Eq. 2)
 *   y      = W z + b + s · Σ_e w_e(h) · B_e A_e z,  s = α/r      every routed projection W    (Eq. 1, "serial")
 * </pre>
 * with z the projection's own input. Code: Eq. 2 in {@link #forward}; Eq. 1 in
 * {@link org.moelab.moe.LoRAMixerLinear#forward(Tensor, org.moelab.moe.Routing)}. ATTENTION placement routes Q, K, V and O, so the mixed projections feed the
 * attention softmax; FEED_FORWARD placement (the MoLE/MixLoRA-style ablation) routes the FFN's up and down.
 *
 * <p>The weights w come from the {@link Mode}: ORACLE (one-hot task label: the "hard" stage 1 and the upper bound),
 * SOFT (all experts, p: the "soft" stage 2), TOP_K (the k largest p, optionally renormalised: inference),
 * STRAIGHT_THROUGH (top-k forward, soft gradient: our reading of v2's "differentiable hard–soft top-k"), UNIFORM
 * (1/E: the static merge) and GLOBAL (one learned softmax(w) for every token: a LoRAHub-like weighting).
 *
 * <p>The router loss (Eq. 3–5; "SBL" in v1, "RSL" in v2) over the non-padding tokens of a batch, per layer:
 * <pre>
 *   L_aux = α_b · E · Σ_i p̄_i f̄_i,     p̄_i = mean p_i(h),  f̄_i = share of tokens whose argmax is i   (Eq. 3)
 *   L_SBL = L_aux + sign · λ · mean H(p(h)),   H(p) = −Σ p_i log p_i                                  (Eq. 5)
 * </pre>
 * The printed Eq. 5 has −λH (sign −1), which maximises per-token entropy; the prose and Fig. 4 describe peaked,
 * specialised routing, i.e. +λH (sign +1, our default). f̄ is an argmax count, so gradients flow through p̄ only.
 * Code: {@link #routerLoss(Tensor, boolean[], RouterLoss, float, float, float)}. The two training stages:
 * {@link #expertStage} (oracle routing, experts train) and {@link #routerStage} (router trains, with
 * {@link #preservationLoss} in the joint regime).
 */
public final class LoraMixer extends Module {
    /** Which projections carry the experts. */
    public enum Placement { ATTENTION, FEED_FORWARD }

    /** How each token's expert weights are chosen (see the class comment). */
    public enum Mode { ORACLE, SOFT, TOP_K, STRAIGHT_THROUGH, UNIFORM, GLOBAL }

    /**
     * What the router of a layer reads at token t. TOKEN: h_t, the normed state entering the layer (the paper's
     * per-token router). CAUSAL_MEAN: the mean of h_1..h_t, which carries the sequence's context (e.g. a task cue)
     * into the first layer too, where h_t alone cannot know it; in a deep model the hidden state does this by itself.
     */
    public enum RouterInput { TOKEN, CAUSAL_MEAN }

    /** The router loss of stage 2. */
    public enum RouterLoss { NONE, AUX_ONLY, SBL }

    /** Logits [batch, time, vocab] and, per layer, the router probabilities [tokens, E] (null without a router). */
    public record Output(Tensor logits, List<Tensor> routerProbabilities) {}

    private static final float ENTROPY_EPS = 1e-9f;

    private final CausalTransformer base;
    private final Placement placement;
    private final int numExperts, rank, topK;
    private final float alpha, balanceWeight, entropyWeight, entropySign;
    private final boolean renormalise;
    private final RouterLoss routerLoss;
    private final RouterInput routerInput;
    private final List<List<LoRAMixerLinear>> mixersPerLayer = new ArrayList<>();
    private final List<Linear> routers = new ArrayList<>();
    private final Tensor globalLogits;
    private final float preserveWeight;
    /**
     * θ⁽⁰⁾ of every expert tensor, taken when the joint regime unfreezes them (empty otherwise), in model order:
     * L_preserve sums its terms in this order, so it must not depend on identity hash codes.
     */
    private final java.util.Map<Tensor, float[]> expertAnchors = new java.util.LinkedHashMap<>();

    private LoraMixer(Builder b) {
        this.base = registerModule("base", b.base);
        freeze(base);
        this.placement = b.placement;
        this.numExperts = b.experts;
        this.rank = b.rank;
        this.alpha = b.alpha;
        this.topK = b.topK;
        this.renormalise = b.renormalise;
        this.routerLoss = b.routerLoss;
        this.routerInput = b.routerInput;
        this.balanceWeight = b.balanceWeight;
        this.entropyWeight = b.entropyWeight;
        this.entropySign = b.entropySign;
        this.preserveWeight = b.preserveWeight;
        Rng rng = new Rng(b.seed);
        Holder experts = registerModule("experts", new Holder());
        Holder routerHolder = registerModule("routers", new Holder());
        int d = base.dModel();
        for (int l = 0; l < base.blocks().size(); l++) {
            DecoderBlock block = base.blocks().get(l);
            Rng layerRng = rng.fork("layer-" + l);
            List<LoRAMixerLinear> mixers = new ArrayList<>();
            if (placement == Placement.ATTENTION) {
                MultiHeadAttention attn = (MultiHeadAttention) block.attention();
                String[] names = {"q", "k", "v", "o"};
                Linear[] projections = {attn.query(), attn.key(), attn.value(), attn.output()};
                for (int i = 0; i < 4; i++) mixers.add(experts.add(l + "_" + names[i], mixer(projections[i], b, layerRng.fork(names[i]))));
            } else {
                FeedForward ffn = (FeedForward) block.feedForward();
                mixers.add(experts.add(l + "_up", mixer(ffn.up(), b, layerRng.fork("up"))));
                mixers.add(experts.add(l + "_down", mixer(ffn.down(), b, layerRng.fork("down"))));
            }
            mixersPerLayer.add(mixers);
            routers.add(routerHolder.add(Integer.toString(l), new Linear(d, numExperts, true, layerRng.fork("router"))));
        }
        this.globalLogits = registerParameter("globalLogits", Tensor.zeros(numExperts));
    }

    private static LoRAMixerLinear mixer(Linear projection, Builder b, Rng rng) {
        return new LoRAMixerLinear(projection, b.experts, b.rank, b.alpha, rng);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ forward

    /**
     * One pass. {@code taskPerRow} (indices of the experts, one per row) is needed only by {@link Mode#ORACLE};
     * every position of a row then uses its task's expert.
     */
    public Output forward(int[] tokens, int batch, int time, Mode mode, int[] taskPerRow) {
        Require.notNull("LoraMixer.forward", "mode", mode);
        int[] oracle = mode == Mode.ORACLE ? expertPerToken(taskPerRow, batch, time) : null;
        Tensor x = base.embed(tokens, batch, time);
        List<Tensor> probabilities = new ArrayList<>();
        // Without a router the route is the same in every layer.
        Routing fixed = mode == Mode.ORACLE || mode == Mode.UNIFORM ? route(mode, null, oracle, batch * time) : null;
        for (int l = 0; l < base.blocks().size(); l++) {
            DecoderBlock block = base.blocks().get(l);
            int layer = l;
            Routing[] routed = new Routing[1];
            // The base block runs as it is; its attention slot routes first (the router reads the normed input).
            UnaryOperator<Tensor> attention = h -> {
                Tensor p = fixed != null ? null : routerProbabilities(layer, routerFeatures(h, batch, time), mode);
                probabilities.add(p);
                routed[0] = fixed != null ? fixed : route(mode, p, oracle, batch * time);
                MultiHeadAttention baseAttention = (MultiHeadAttention) block.attention();
                if (placement != Placement.ATTENTION) return baseAttention.forward(h);
                // One route for the layer's Q, K, V and O, handed to each routed projection through the hooks.
                List<LoRAMixerLinear> qkvo = mixersPerLayer.get(layer);
                Routing r = routed[0];
                return baseAttention.forward(h, z -> qkvo.get(0).forward(z, r), z -> qkvo.get(1).forward(z, r),
                        z -> qkvo.get(2).forward(z, r), z -> qkvo.get(3).forward(z, r));
            };
            List<LoRAMixerLinear> upDown = mixersPerLayer.get(l);
            UnaryOperator<Tensor> feedForward = placement == Placement.ATTENTION ? ((FeedForward) block.feedForward())::forward
                    : h -> upDown.get(1).forward(upDown.get(0).forward(h, routed[0]).gelu(), routed[0]);
            // The frozen base runs without dropout (an evaluation pass): only the experts and routers train.
            x = block.forward(x, RoutingContext.evaluation(), attention, feedForward);
        }
        return new Output(base.logits(x), probabilities);
    }

    /** The router's input rows [batch·time, d] for the normed states h [batch, time, d]. */
    private Tensor routerFeatures(Tensor h, int batch, int time) {
        int d = h.size(2);
        if (routerInput == RouterInput.TOKEN) return h.reshape(batch * time, d);
        // mean over s ≤ t as one GEMM: M [T, T] with M[t, s] = 1/(t+1) for s ≤ t, on h laid out [T, batch·d].
        float[] m = new float[time * time];
        for (int t = 0; t < time; t++) for (int s = 0; s <= t; s++) m[t * time + s] = 1f / (t + 1);
        Tensor byTime = h.permute(1, 0, 2).reshape(time, batch * d);
        return Tensor.of(m, time, time).matmul(byTime).reshape(time, batch, d).permute(1, 0, 2).reshape(batch * time, d);
    }

    /** p = softmax(R_l h) per token (Eq. 2); for GLOBAL the one learned weighting; null where no router is used. */
    private Tensor routerProbabilities(int layer, Tensor h, Mode mode) {
        return switch (mode) {
            case SOFT, TOP_K, STRAIGHT_THROUGH -> routers.get(layer).forward(h).softmax();
            case GLOBAL -> Tensor.ones(h.size(0), 1).matmul(globalLogits.reshape(1, numExperts).softmax());
            case ORACLE, UNIFORM -> null;
        };
    }

    private Routing route(Mode mode, Tensor p, int[] oracle, int tokens) {
        return switch (mode) {
            case ORACLE -> Routing.hard(oracle, numExperts);
            case SOFT, GLOBAL -> Routing.dense(p);
            case TOP_K -> Routing.topK(p, topK, renormalise);
            case UNIFORM -> Routing.dense(Tensor.full(1f / numExperts, tokens, numExperts));
            case STRAIGHT_THROUGH -> {
                // forward value = the top-k weights; gradient = that of soft p (w = topk + p − sg(p)).
                Tensor hard = Routing.topKWeights(p, topK, renormalise);
                yield Routing.dense(hard.detach().add(p).sub(p.detach()));
            }
        };
    }

    private int[] expertPerToken(int[] taskPerRow, int batch, int time) {
        if (taskPerRow == null || taskPerRow.length != batch) {
            throw new IllegalArgumentException("LoraMixer: Mode.ORACLE needs taskPerRow with one expert index per row (" + batch + "), got "
                    + (taskPerRow == null ? "null" : taskPerRow.length + " entries"));
        }
        int[] out = new int[batch * time];
        for (int r = 0; r < batch; r++) {
            if (taskPerRow[r] < 0 || taskPerRow[r] >= numExperts) {
                throw new IllegalArgumentException("LoraMixer: taskPerRow[" + r + "] = " + taskPerRow[r] + " must be in [0, " + numExperts + ")");
            }
            Arrays.fill(out, r * time, (r + 1) * time, taskPerRow[r]);
        }
        return out;
    }

    // ------------------------------------------------------------------ losses

    /** Mean cross-entropy on the labelled (answer) positions of {@code targets} ({@link Losses#IGNORE_INDEX} elsewhere). */
    public Tensor taskLoss(Output out, int[] targets, int batch, int time) {
        return Losses.crossEntropy(out.logits().reshape(batch * time, base.vocab()), targets);
    }

    /**
     * The configured router loss summed over layers (Eq. 3/5), over the tokens where {@code counted[t]} is true
     * (our choice: every non-padding position). Zero for {@link RouterLoss#NONE} or modes without a router.
     */
    public Tensor routerLoss(Output out, boolean[] counted) {
        Tensor total = Tensor.scalar(0f);
        if (routerLoss == RouterLoss.NONE) return total;
        for (Tensor p : out.routerProbabilities()) {
            if (p == null) continue;
            total = total.add(routerLoss(p, counted, routerLoss, balanceWeight, entropyWeight, entropySign));
        }
        return total;
    }

    /** One layer's L_aux (Eq. 3) or L_SBL (Eq. 5) for probabilities p [tokens, E]; public for the gradient check. */
    public static Tensor routerLoss(Tensor p, boolean[] counted, RouterLoss kind, float balanceWeight, float entropyWeight, float entropySign) {
        int[] rows = countedRows(counted, p.size(0));
        Tensor q = rows.length == p.size(0) ? p : p.gatherRows(rows);
        int e = q.size(1);
        float[] f = new float[e];
        Indexing.TopK argmax = Indexing.topK(q.detach(), 1);
        for (int t = 0; t < q.size(0); t++) f[argmax.index(t, 0)] += 1f / q.size(0);
        Tensor loss = q.mean(0, false).mul(Tensor.of(f, e)).sum().mul(balanceWeight * e);
        if (kind == RouterLoss.SBL) {
            Tensor entropy = q.mul(q.add(ENTROPY_EPS).log()).sum(1, false).neg().mean();
            loss = loss.add(entropy.mul(entropySign * entropyWeight));
        }
        return loss;
    }

    private static int[] countedRows(boolean[] counted, int n) {
        if (counted == null) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        if (counted.length != n) throw new IllegalArgumentException("LoraMixer.routerLoss: counted has " + counted.length + " entries for " + n + " tokens");
        int m = 0;
        for (boolean c : counted) if (c) m++;
        if (m == 0) throw new IllegalArgumentException("LoraMixer.routerLoss: no token is counted");
        int[] rows = new int[m];
        for (int i = 0, j = 0; i < n; i++) if (counted[i]) rows[j++] = i;
        return rows;
    }

    /**
     * L_preserve = β · Σ_i ‖θ_i − θ_i⁽⁰⁾‖² over the expert tensors (the joint regime's guard against forgetting what
     * stage 1 taught them); zero outside the joint regime.
     */
    public Tensor preservationLoss() {
        Tensor total = Tensor.scalar(0f);
        if (expertAnchors.isEmpty() || preserveWeight == 0) return total;
        for (var e : expertAnchors.entrySet()) total = total.add(e.getKey().sub(Tensor.of(e.getValue(), e.getKey().shape())).square().sum());
        return total.mul(preserveWeight);
    }

    // ------------------------------------------------------------------ stages

    /** Stage 1 ("hard"): experts trainable, routers and global weights frozen. */
    public LoraMixer expertStage() {
        setExpertsTrainable(true);
        setRoutersTrainable(false);
        globalLogits.requiresGrad(false);
        return this;
    }

    /**
     * Stage 2 ("soft"): routers trainable; experts frozen unless {@code joint} (the "joint" regime), which also
     * records the experts' current values as θ⁽⁰⁾ for {@link #preservationLoss()}.
     */
    public LoraMixer routerStage(boolean joint) {
        setExpertsTrainable(joint);
        expertAnchors.clear();
        if (joint) {
            for (List<LoRAMixerLinear> layer : mixersPerLayer) {
                for (LoRAMixerLinear m : layer) for (LoRAExpert e : m.experts()) for (Tensor t : List.of(e.a(), e.b())) expertAnchors.put(t, t.toFloatArray());
            }
        }
        setRoutersTrainable(true);
        globalLogits.requiresGrad(false);
        return this;
    }

    /** The LoRAHub-like arm: only the global weighting trains. */
    public LoraMixer globalWeightStage() {
        setExpertsTrainable(false);
        setRoutersTrainable(false);
        globalLogits.requiresGrad(true);
        return this;
    }

    private void setExpertsTrainable(boolean on) {
        for (List<LoRAMixerLinear> layer : mixersPerLayer) for (LoRAMixerLinear m : layer) for (LoRAExpert e : m.experts()) e.frozen(!on);
    }

    private void setRoutersTrainable(boolean on) {
        for (Linear r : routers) {
            r.weight().requiresGrad(on);
            if (r.bias() != null) r.bias().requiresGrad(on);
        }
    }

    private static void freeze(Module module) {
        for (Tensor t : module.parameters()) t.requiresGrad(false);
    }

    /** Copies expert e's adapters (every layer and projection) from {@code other}'s expert {@code otherExpert}. */
    public void copyExpert(int expert, LoraMixer other, int otherExpert) {
        if (expert < 0 || expert >= numExperts) throw new IllegalArgumentException("LoraMixer.copyExpert: expert must be in [0, " + numExperts + "), got " + expert);
        if (other.placement != placement || other.mixersPerLayer.size() != mixersPerLayer.size()) {
            throw new IllegalArgumentException("LoraMixer.copyExpert: the other model has a different placement or depth");
        }
        for (int l = 0; l < mixersPerLayer.size(); l++) {
            for (int i = 0; i < mixersPerLayer.get(l).size(); i++) {
                LoRAExpert to = mixersPerLayer.get(l).get(i).experts().get(expert);
                LoRAExpert from = other.mixersPerLayer.get(l).get(i).experts().get(otherExpert);
                if (to.rank() != from.rank()) throw new IllegalArgumentException("LoraMixer.copyExpert: rank " + from.rank() + " does not fit rank " + to.rank());
                System.arraycopy(from.a().data(), 0, to.a().data(), 0, to.a().numel());
                System.arraycopy(from.b().data(), 0, to.b().data(), 0, to.b().numel());
            }
        }
    }

    // ------------------------------------------------------------------ accounting

    /** Parameters of all LoRA experts (what stage 1 trains). */
    public long expertParameters() {
        long n = 0;
        for (List<LoRAMixerLinear> layer : mixersPerLayer) for (LoRAMixerLinear m : layer) for (LoRAExpert e : m.experts()) n += e.a().numel() + e.b().numel();
        return n;
    }

    /** Parameters of the per-layer routers (what stage 2 trains). */
    public long routerParameters() {
        long n = 0;
        for (Linear r : routers) n += r.weight().numel() + (r.bias() == null ? 0 : r.bias().numel());
        return n;
    }

    /** The adapters of expert e, per layer, in projection order (q, k, v, o or up, down). */
    public List<List<LoRAExpert>> expert(int e) {
        List<List<LoRAExpert>> out = new ArrayList<>();
        for (List<LoRAMixerLinear> layer : mixersPerLayer) out.add(layer.stream().map(m -> m.experts().get(e)).toList());
        return out;
    }

    public CausalTransformer base() {
        return base;
    }

    public int numExperts() {
        return numExperts;
    }

    public int rank() {
        return rank;
    }

    public float alpha() {
        return alpha;
    }

    public int topK() {
        return topK;
    }

    public Placement placement() {
        return placement;
    }

    public RouterInput routerInput() {
        return routerInput;
    }

    public RouterLoss routerLossKind() {
        return routerLoss;
    }

    public float entropySign() {
        return entropySign;
    }

    public int layers() {
        return mixersPerLayer.size();
    }

    @Override
    public String toString() {
        return "LoraMixer(" + placement + ", router on " + routerInput + ", " + numExperts + " experts, r=" + rank + ", alpha=" + alpha + ", top-" + topK
                + (renormalise ? " renormalised" : "") + ", router loss " + routerLoss + (routerLoss == RouterLoss.SBL ? " (entropy sign " + (entropySign > 0 ? "+" : "−") + ")" : "") + ")";
    }

    /** Names children {@code experts.<layer>_<projection>} and {@code routers.<layer>}. */
    private static final class Holder extends Module {
        <M extends Module> M add(String name, M module) {
            return registerModule(name, module);
        }
    }

    /**
     * Options; {@code base} (a trained {@link CausalTransformer}, frozen by the build) is required. Defaults: attention
     * placement, 4 experts, r = 4, α = 8, top-2 renormalised, SBL with α_b = 0.01, λ = 0.05, sign +1.
     */
    public static final class Builder {
        private CausalTransformer base;
        private Placement placement = Placement.ATTENTION;
        private int experts = 4, rank = 4, topK = 2;
        private float alpha = 8f, balanceWeight = 0.01f, entropyWeight = 0.05f, entropySign = 1f, preserveWeight = 1e-3f;
        private boolean renormalise = true;
        private RouterLoss routerLoss = RouterLoss.SBL;
        private RouterInput routerInput = RouterInput.TOKEN;
        private long seed = Rng.defaultSeed();

        public Builder base(CausalTransformer v) { base = v; return this; }

        public Builder placement(Placement v) { placement = v; return this; }

        public Builder experts(int v) { experts = v; return this; }

        public Builder rank(int v) { rank = v; return this; }

        /** LoRA α; each update is scaled by α/r. */
        public Builder alpha(float v) { alpha = v; return this; }

        /** Experts kept per token by {@link Mode#TOP_K} and {@link Mode#STRAIGHT_THROUGH}. */
        public Builder topK(int v) { topK = v; return this; }

        /** Whether top-k weights are renormalised to sum 1 over the kept experts (the paper does not say). */
        public Builder renormalise(boolean v) { renormalise = v; return this; }

        public Builder routerLoss(RouterLoss v) { routerLoss = v; return this; }

        /** What the router reads: the token's state (default) or the causal mean of the states so far. */
        public Builder routerInput(RouterInput v) { routerInput = v; return this; }

        /** α_b of Eq. 3 (multiplied by E, the Switch convention). */
        public Builder balanceWeight(float v) { balanceWeight = v; return this; }

        /** λ of Eq. 5. */
        public Builder entropyWeight(float v) { entropyWeight = v; return this; }

        /** +1: minimise per-token entropy (specialise; default); −1: Eq. 5 as printed (maximise it). */
        public Builder entropySign(float v) { entropySign = v; return this; }

        /** β of L_preserve in the joint regime. */
        public Builder preserveWeight(float v) { preserveWeight = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public LoraMixer build() {
            String owner = "LoraMixer";
            Require.notNull(owner, "base (a trained CausalTransformer)", base);
            Require.notNull(owner, "placement (ATTENTION or FEED_FORWARD)", placement);
            Require.notNull(owner, "routerLoss (NONE, AUX_ONLY or SBL)", routerLoss);
            Require.notNull(owner, "routerInput (TOKEN or CAUSAL_MEAN)", routerInput);
            Require.positive(owner, "experts", experts);
            Require.positive(owner, "rank", rank);
            Require.positive(owner, "alpha", alpha);
            if (topK < 1 || topK > experts) throw new IllegalArgumentException(owner + ": topK must be in [1, experts=" + experts + "], got " + topK);
            Require.nonNegative(owner, "balanceWeight", balanceWeight);
            Require.nonNegative(owner, "entropyWeight", entropyWeight);
            Require.nonNegative(owner, "preserveWeight", preserveWeight);
            if (entropySign != 1f && entropySign != -1f) {
                throw new IllegalArgumentException(owner + ": entropySign must be +1 (specialise, default) or -1 (Eq. 5 as printed), got " + entropySign);
            }
            for (DecoderBlock block : base.blocks()) {
                if (!(block.attention() instanceof MultiHeadAttention && block.feedForward() instanceof FeedForward)) {
                    throw new IllegalArgumentException(owner + ": the base must be a dense attention decoder (CausalTransformer.builder()), its blocks have "
                            + block.attention().getClass().getSimpleName() + " and " + (block.feedForward() == null ? "no feed-forward" : block.feedForward().getClass().getSimpleName()));
                }
            }
            int d = base.dModel();
            FeedForward firstFfn = (FeedForward) base.blocks().get(0).feedForward();
            int narrowest = placement == Placement.ATTENTION ? d : Math.min(d, firstFfn.hidden());
            if (rank > narrowest) throw new IllegalArgumentException(owner + ": rank must be <= " + narrowest + " (the narrowest routed projection), got " + rank);
            if (placement == Placement.FEED_FORWARD && firstFfn.activation() != FeedForward.Activation.GELU) {
                throw new IllegalArgumentException(owner + ": FEED_FORWARD placement needs a GELU feed-forward, the base has " + firstFfn.activation());
            }
            return new LoraMixer(this);
        }
    }
}
