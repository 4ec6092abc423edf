package org.moelab.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.moelab.data.Batch;
import org.moelab.moe.DenseToSparseGate;
import org.moelab.moe.ExpertDispatch;
import org.moelab.moe.Experts;
import org.moelab.moe.HashRouter;
import org.moelab.moe.MoELayer;
import org.moelab.moe.Router;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.SwitchRouter;
import org.moelab.moe.TopKRouter;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Module;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;
import org.moelab.train.Optimizer;
import org.moelab.train.StepSchedule;

/**
 * EvoMoE — "EvoMoE: An Evolutional Mixture-of-Experts Training Framework via Dense-To-Sparse Gate" (Nie et al.,
 * arXiv 2112.14397), at token-LM scale. Steps n ∈ [0, N); T_A = phaseA·N, D = sparse·N.
 * <ol>
 *   <li><b>Phase A, expert-diversify prerequisite</b> (n &lt; T_A): the MoE position holds one FFN and no gate,
 *       y = E_0(x) = act(x·W1 + b1)·W2 + b2 — an ordinary dense model. Code: the slot's phase-A routing
 *       (every token to expert 0, weight 1), chosen in {@link #loss}'s forward.</li>
 *   <li><b>Spawn</b> (n = T_A): E experts from the trained one, W_e = W_0 ⊙ M_e, M_e ~ Bernoulli(1 − p) drawn
 *       independently per expert and weight matrix (biases copied); optional rescale by 1/(1 − p). Ablations:
 *       p = 0 (pure copies) and fresh random experts. The gate W_g is new; Adam moments of the experts and the
 *       gate are reset, the shared parameters keep theirs (the public code has no spawning at all). Code:
 *       {@link #spawn}, called by {@link #beforeStep} at T_A.</li>
 *   <li><b>Phase B, gate-sparsify</b> with the {@link DenseToSparseGate}: g = softmax((x·W_g + ζ)/τ), keep
 *       experts with g_e &gt; θ, y = Σ_{e∈S} w_e·E_e(x). τ(n) = schedule(n − T_A), linear 2.0 → 0.3 over D
 *       steps by default (offset by T_A: phase-B steps drive τ). From T_A + D on: noisy hard top-1. Code:
 *       {@link DenseToSparseGate#route}, with τ from {@link #temperatureAt} set in {@link #beforeStep}.</li>
 *   <li><b>Evaluation</b>: clean top-1, argmax softmax(x·W_g), weight = its probability (the gate's route with
 *       an evaluation context).</li>
 * </ol>
 * Loss = CE + w_aux·Σ_layers E·Σ_e f_e·P_e ({@link #loss}). Compute is counted analytically: an expert evaluation on one token
 * costs 2·(2·d·h) forward FLOPs, ×3 with the backward ({@link #expertFlops}). The same builder makes the paper's baselines (dense FFN,
 * Switch top-1, Hash, dense-MoE) and the ablations ({@link Spawn}, {@link PhaseBGate}).
 */
public final class EvoMoE {
    /** Which model the builder makes. */
    public enum Arm { EVOMOE, DENSE, SWITCH, HASH, DENSE_MOE }

    /** How the E experts are made from the phase-A expert. */
    public enum Spawn { MASK, COPY, RANDOM }

    /** The phase-B gate: the DTS gate (the paper), or a Switch top-1 gate (ablation "diversify + Switch"). */
    public enum PhaseBGate { DTS, SWITCH }

    /** Where MoE layers go: the last block's FFN (the plan's default) or every block's. */
    public enum Placement { LAST, ALL }

    private final Builder config;
    private final CausalTransformer model;
    private final List<Phased> phased = new ArrayList<>();
    private final StepSchedule temperature;
    private final long phaseAEnd, sparseEnd;
    private boolean spawned;

    private EvoMoE(Builder b) {
        this.config = b;
        this.phaseAEnd = Math.round(b.phaseA * b.totalSteps);
        this.sparseEnd = phaseAEnd + Math.round(b.sparse * b.totalSteps);
        // τ(n) = schedule(n − T_A) over D = sparseEnd − T_A phase-B steps (pitfall 5 of the notes: offset by T_A).
        this.temperature = StepSchedule.of(b.shape, b.tauMax, b.tauMin, Math.max(1, sparseEnd - phaseAEnd));
        this.model = CausalTransformer.moeLanguageModel(b.vocab, b.dModel, b.heads, b.layers, b.context, b.dropout, this::slot, new Rng(b.seed).fork("init"));
        this.spawned = b.arm != Arm.EVOMOE;
    }

    private Module slot(int layer, int d, Rng rng) {
        Builder b = config;
        boolean moeHere = b.placement == Placement.ALL || layer == b.layers - 1;
        if (b.arm == Arm.DENSE || !moeHere) return new FeedForward(d, b.hidden, FeedForward.Activation.GELU, rng);
        Experts experts = new Experts(b.experts, d, b.hidden, Unary.GELU, rng);
        Router router = switch (b.arm) {
            case SWITCH -> new SwitchRouter(d, b.experts, b.capacityFactor, rng);
            case HASH -> new HashRouter(b.vocab, b.experts, rng);
            case DENSE_MOE -> TopKRouter.learned(d, b.experts, b.experts, rng);
            case EVOMOE -> {
                Router gate = b.gate == PhaseBGate.DTS ? new DenseToSparseGate(d, b.experts, b.threshold, b.combine, rng)
                        : new SwitchRouter(d, b.experts, b.capacityFactor, rng);
                Phased p = new Phased(gate);
                phased.add(p);
                yield p;
            }
            default -> throw new IllegalStateException();
        };
        return new MoELayer(router, experts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The trainer hook: spawns at T_A (resetting {@code optimizer}'s moments there), then sets τ and hardness. */
    public void beforeStep(long step, Optimizer optimizer) {
        if (config.arm != Arm.EVOMOE) return;
        if (!spawned && step >= phaseAEnd) spawn(optimizer);
        if (!spawned) return;
        for (Phased p : phased) {
            if (p.gate instanceof DenseToSparseGate dts) {
                dts.setTemperature((float) temperatureAt(step));
                dts.setHard(step >= sparseEnd);
            }
        }
    }

    /** τ at a global step (τ_max during phase A, τ_min after the sparse phase). */
    public double temperatureAt(long step) {
        return temperature.at(step - phaseAEnd);
    }

    /** The phase a global step is in: "A", "B-dense-to-sparse" or "B-top-1" (baselines: "-"). */
    public String phaseAt(long step) {
        if (config.arm != Arm.EVOMOE) return "-";
        return step < phaseAEnd ? "A" : step < sparseEnd ? "B-dense-to-sparse" : "B-top-1";
    }

    public long phaseAEnd() {
        return phaseAEnd;
    }

    public long sparseEnd() {
        return sparseEnd;
    }

    public boolean spawned() {
        return spawned;
    }

    /**
     * Spawn now: W_e = W_0 ⊙ M_e (or copies, or fresh random experts), then route through the phase-B gate. Adam
     * moments of every expert and gate tensor are zeroed in {@code optimizer} (null: none to reset).
     */
    public void spawn(Optimizer optimizer) {
        if (spawned) throw new IllegalStateException("EvoMoE: experts were already spawned");
        Rng rng = new Rng(config.seed).fork("spawn");
        Set<Tensor> reset = Collections.newSetFromMap(new IdentityHashMap<>());
        for (MoELayer layer : model.moeLayers()) {
            Experts ex = layer.experts();
            ExpertDispatch.FfnWeights base = ex.expert(0);
            float[] w1 = base.w1().data().clone(), b1 = base.b1().data().clone(), w2 = base.w2().data().clone(), b2 = base.b2().data().clone();
            for (int e = 0; e < ex.numExperts(); e++) {
                ExpertDispatch.FfnWeights w = ex.expert(e);
                if (config.spawn == Spawn.RANDOM) {
                    reinitialise(w, rng);
                } else {
                    float p = config.spawn == Spawn.COPY ? 0f : config.maskRatio;
                    masked(w1, p, w.w1().data(), rng);
                    System.arraycopy(b1, 0, w.b1().data(), 0, b1.length);
                    masked(w2, p, w.w2().data(), rng);
                    System.arraycopy(b2, 0, w.b2().data(), 0, b2.length);
                }
                reset.addAll(List.of(w.w1(), w.b1(), w.w2(), w.b2()));
            }
        }
        for (Phased p : phased) {
            p.spawned = true;
            if (p.gate instanceof Module m) reset.addAll(m.parameters());
        }
        spawned = true;
        if (optimizer != null) resetMoments(optimizer, reset);
    }

    /** dst = src ⊙ M (/(1 − p) when rescaling), M ~ Bernoulli(1 − p); p = 0 copies exactly. */
    private void masked(float[] src, float p, float[] dst, Rng rng) {
        float scale = config.rescale && p > 0 ? 1f / (1f - p) : 1f;
        for (int i = 0; i < src.length; i++) dst[i] = p > 0 && rng.nextDouble() < p ? 0f : src[i] * scale;
    }

    /** Fresh U(±1/√fan_in) weights, as {@link Experts} initialises them (ablation "no diversify"). */
    private static void reinitialise(ExpertDispatch.FfnWeights w, Rng rng) {
        int d = w.w1().size(0), h = w.w1().size(1);
        fill(w.w1().data(), 1 / Math.sqrt(d), rng);
        fill(w.b1().data(), 1 / Math.sqrt(d), rng);
        fill(w.w2().data(), 1 / Math.sqrt(h), rng);
        fill(w.b2().data(), 1 / Math.sqrt(h), rng);
    }

    private static void fill(float[] a, double bound, Rng rng) {
        for (int i = 0; i < a.length; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }

    /** Zeroes the optimizer's per-parameter buffers and step counts of the given tensors (new parameters). */
    private void resetMoments(Optimizer optimizer, Set<Tensor> tensors) {
        Map<String, float[]> state = new LinkedHashMap<>(optimizer.state());
        for (var entry : model.namedParameters().entrySet()) {
            if (!tensors.contains(entry.getValue())) continue;
            String suffix = "." + entry.getKey();
            for (var s : state.entrySet()) if (s.getKey().endsWith(suffix) && s.getKey().indexOf('.') == s.getKey().length() - suffix.length()) java.util.Arrays.fill(s.getValue(), 0f);
        }
        optimizer.loadState(state);
    }

    /** CE plus w_aux·(load balance) for learned gates (Switch, DTS); Hash and dense-MoE add none. */
    public Tensor loss(Batch batch, RoutingContext context) {
        Tensor ce = model.loss(batch, context);
        boolean gated = config.arm == Arm.SWITCH || (config.arm == Arm.EVOMOE && spawned);
        return gated && config.balanceWeight > 0 ? ce.add(model.auxLoss(context, config.balanceWeight, 0f)) : ce;
    }

    /** Expert evaluations per token in a pass, averaged over MoE layers (dense FFN: 1). */
    public double activeExpertsPerToken(RoutingContext pass) {
        List<Routing> routings = pass.recorder().of(model.moeLayers());
        if (routings.isEmpty()) return 1;
        double sum = 0;
        for (Routing r : routings) sum += (double) r.assignments().size() / r.numTokens();
        return sum / routings.size();
    }

    /**
     * Training FLOPs of the FFNs at the MoE positions in a pass over {@code tokens} positions: 3 · 2·(2·d·h) per
     * expert evaluation (the dense arm, with no routing to count from: one per token per MoE position).
     */
    public double expertFlops(RoutingContext pass, int tokens) {
        double perEval = 3.0 * 2 * 2 * config.dModel * config.hidden;
        List<MoELayer> layers = model.moeLayers();
        if (layers.isEmpty()) return perEval * tokens * moePositions();
        double pairs = 0;
        for (Routing r : pass.recorder().of(layers)) pairs += r.assignments().size();
        return perEval * pairs;
    }

    /** Number of FFN positions that are MoE layers in the non-dense arms. */
    private int moePositions() {
        return config.placement == Placement.ALL ? config.layers : 1;
    }

    /** Top-1 expert of every position in a pass's last MoE layer (-1: dropped), for MI and flip rate. */
    public int[] primaryExperts(RoutingContext pass) {
        List<MoELayer> layers = model.moeLayers();
        return layers.isEmpty() ? new int[0] : pass.recorder().of(layers.get(layers.size() - 1)).primaryExpert();
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
        Map<String, String> m = Provenance.of("evomoe", config);
        m.put("phaseAEnd", "" + phaseAEnd);
        m.put("sparseEnd", "" + sparseEnd);
        return m;
    }

    @Override
    public String toString() {
        return "EvoMoE[" + config.arm + (config.arm == Arm.EVOMOE ? ", spawn " + config.spawn + ", " + config.gate : "") + ", E=" + config.experts + ", " + model.numParameters() + " parameters]";
    }

    /** Phase A: every token to expert 0 with weight 1 (a plain FFN); after spawning, the phase-B gate. */
    private static final class Phased extends Module implements Router {
        private final Router gate;
        private boolean spawned;

        Phased(Router gate) {
            this.gate = gate;
            if (gate instanceof Module m) registerModule("gate", m);
        }

        @Override
        public Routing route(Tensor tokens, RoutingContext context) {
            if (spawned) return gate.route(tokens, context);
            // Phase A: every token to expert 0 with weight 1, the dense model.
            return Routing.hard(new int[tokens.size(0)], gate.numExperts());
        }

        @Override
        public int numExperts() {
            return gate.numExperts();
        }

        @Override
        public String describe() {
            return spawned ? gate.describe() : "phase A: one expert";
        }
    }

    /** Hyper-parameters with the MixLM-4 plan's defaults; {@link #build()} validates them all. */
    public static final class Builder implements Cloneable {
        private Arm arm = Arm.EVOMOE;
        private Spawn spawn = Spawn.MASK;
        private PhaseBGate gate = PhaseBGate.DTS;
        private Placement placement = Placement.LAST;
        private DenseToSparseGate.Combine combine = DenseToSparseGate.Combine.GUMBEL;
        private StepSchedule.Shape shape = StepSchedule.Shape.LINEAR;
        private int vocab = -1, layers = 2, dModel = 48, heads = 4, context = 32, experts = 4, hidden = 96;
        private long totalSteps = 1500;
        private float phaseA = 0.2f, sparse = 0.5f, tauMax = 2f, tauMin = 0.3f, threshold = DenseToSparseGate.DEFAULT_THRESHOLD;
        private float maskRatio = 0.5f, balanceWeight = 0.01f, capacityFactor = 1.25f, dropout = 0f;
        private boolean rescale;
        private long seed = Rng.defaultSeed();

        public Builder arm(Arm v) { arm = v; return this; }
        public Builder spawn(Spawn v) { spawn = v; return this; }
        public Builder gate(PhaseBGate v) { gate = v; return this; }
        public Builder placement(Placement v) { placement = v; return this; }
        /** GUMBEL weights (the paper) or the clean softmax (the code's default). */
        public Builder combine(DenseToSparseGate.Combine v) { combine = v; return this; }
        public Builder schedule(StepSchedule.Shape v) { shape = v; return this; }
        public Builder vocab(int v) { vocab = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder dModel(int v) { dModel = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder context(int v) { context = v; return this; }
        public Builder experts(int v) { experts = v; return this; }
        /** Hidden size of each expert (and of the dense FFN). */
        public Builder hidden(int v) { hidden = v; return this; }
        /** N, the training length the phase fractions refer to. */
        public Builder totalSteps(long v) { totalSteps = v; return this; }
        /** Share of N spent in phase A (one expert). */
        public Builder phaseA(float v) { phaseA = v; return this; }
        /** Share of N over which τ anneals (dense to sparse); hard top-1 afterwards. */
        public Builder sparse(float v) { sparse = v; return this; }
        public Builder temperatures(float max, float min) { tauMax = max; tauMin = min; return this; }
        public Builder threshold(float v) { threshold = v; return this; }
        /** p, the share of each weight matrix masked to zero when spawning. */
        public Builder maskRatio(float v) { maskRatio = v; return this; }
        /** Rescale kept weights by 1/(1 − p) when spawning (ours; off by default). */
        public Builder rescale(boolean v) { rescale = v; return this; }
        public Builder balanceWeight(float v) { balanceWeight = v; return this; }
        public Builder capacityFactor(float v) { capacityFactor = v; return this; }
        public Builder dropout(float v) { dropout = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public EvoMoE build() {
            String o = "EvoMoE";
            if (vocab < 1) throw new IllegalArgumentException(o + ": vocab must be >= 1 (the task's vocabSize()), got " + vocab);
            if (experts < 2) throw new IllegalArgumentException(o + ": experts must be >= 2 (E = 1 is the dense model; use arm DENSE), got " + experts);
            for (var e : Map.of("layers", layers, "dModel", dModel, "heads", heads, "context", context, "hidden", hidden).entrySet()) {
                if (e.getValue() < 1) throw new IllegalArgumentException(o + ": " + e.getKey() + " must be >= 1, got " + e.getValue());
            }
            if (dModel % heads != 0) throw new IllegalArgumentException(o + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
            if (totalSteps < 2) throw new IllegalArgumentException(o + ": totalSteps must be >= 2, got " + totalSteps);
            if (!(tauMax > 0) || !(tauMin > 0)) throw new IllegalArgumentException(o + ": temperatures must be > 0, got max " + tauMax + ", min " + tauMin);
            if (!(phaseA > 0 && phaseA < 1)) throw new IllegalArgumentException(o + ": phaseA must be in (0, 1), got " + phaseA);
            if (!(sparse > 0 && sparse < 1)) throw new IllegalArgumentException(o + ": sparse must be in (0, 1), got " + sparse);
            if (phaseA + sparse > 1 + 1e-6) throw new IllegalArgumentException(o + ": phaseA + sparse must be <= 1 (the rest is hard top-1), got " + phaseA + " + " + sparse);
            if (!(maskRatio >= 0 && maskRatio < 1)) throw new IllegalArgumentException(o + ": maskRatio must be in [0, 1), got " + maskRatio);
            if (!(threshold >= 0 && threshold < 1)) throw new IllegalArgumentException(o + ": threshold must be in [0, 1), got " + threshold);
            if (!(balanceWeight >= 0) || !(capacityFactor >= 0)) throw new IllegalArgumentException(o + ": balanceWeight and capacityFactor must be >= 0");
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException(o + ": dropout must be in [0, 1), got " + dropout);
            if (arm == null || spawn == null || gate == null || placement == null || combine == null || shape == null) {
                throw new IllegalArgumentException(o + ": arm, spawn, gate, placement, combine and schedule must not be null");
            }
            // The model keeps its own copy, so reusing this builder after build() never changes a built model.
            return new EvoMoE(copy());
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
