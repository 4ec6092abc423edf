package org.moelab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.moe.Assignments;
import org.moelab.moe.AuxLosses;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutedLayer;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.TopKRouter;
import org.moelab.nn.GatedDeltaNet;
import org.moelab.nn.Layer;
import org.moelab.nn.Require;
import org.moelab.nn.RowBuckets;
import org.moelab.nn.ShortConvolution;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Reshaping;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * MoM — "Linear Sequence Modeling with Mixture-of-Memories" (Du, Sun, Lan, Hu, Cheng; arXiv 2502.13685 v4,
 * ICLR 2026), the token-mixing layer with Gated DeltaNet memories, following fla's {@code MomAttention}.
 *
 * <p>The method, top to bottom, for the pre-normed hidden state x_t of one layer:
 * <ol>
 *   <li><b>Route</b> (Eq. 5–6): p_t = softmax(x_t W_g) over all M memories; keep the top-k; renormalise
 *       w_t = p_t[sel] / Σ p_t[sel]. One router per layer, shared by the heads; top-k is a constant in backward,
 *       the router learns through w_t and the balance loss. Code: {@link TopKRouter#route} (softmax over the k
 *       selected logits equals the renormalised top-k), called in {@link #forward(Tensor, int[], RoutingContext)}.</li>
 *   <li><b>Write</b> only the selected memories: memory m owns k/v/β/a projections (q is shared) and runs the
 *       gated delta rule over <em>its own</em> token subsequence, in time order:
 *       S^m ← e^{g}(I − β k kᵀ) S^m + β k vᵀ, where q, k, v come from the shared short convs over that
 *       subsequence (A8 of the notes). A memory not selected at t is untouched: no write, no decay. Code:
 *       {@link GatedDeltaNet.Core#memories} runs every memory's subsequence in one scan.</li>
 *   <li><b>Read and mix</b> (Eq. 7–8): o_t = Σ_{m∈sel} w_{t,m} · d_k^{-1/2} S^m_tᵀ q_t^m (read after write),
 *       plus the <b>shared memory</b>, which sees every token and is added with weight 1. Code: the weighted
 *       scatter-add back to token order in {@link #forward(Tensor, int[], RoutingContext)}.</li>
 *   <li><b>Output</b>: y_t = W_o [RMSNorm_head(o_t) ⊙ silu(x_t W_gate)]. Code: {@link GatedDeltaNet.Output#forward}.</li>
 *   <li><b>Balance</b>: aux = M · Σ_m f_m p̄_m with f_m the routed slots of m per token (= k at balance),
 *       weighted by 1e-3 (the paper's v4 best, Table 6). Code: {@link #balanceLoss}.</li>
 * </ol>
 * Decoding ({@link #state()}, {@link #step}) keeps M+1 matrix states per head; a token touches k+1 of them, so
 * the work and the activated state per token, (k+1)·H·d_k·d_v floats, do not grow with the context.
 *
 * <p><b>Router input</b> ({@link RouterInput}, ours, not the paper's): the paper routes on x_t alone
 * ({@link RouterInput#HIDDEN}, the default). In a shallow model the first layer's x_t is a token's own embedding,
 * so a value cannot be routed to the memory of the key before it (measured on MQAR: query→key-memory hit rate at
 * chance). {@link RouterInput#SHORT_CONV} routes on x̃_t = SiLU(causal depthwise conv_4(x))_t instead — the same
 * short convolution Gated DeltaNet puts before q/k/v, with its own filters — so the router sees the three tokens
 * before t. A documented option for the second-round reproduction (issue 18), not a silent change.
 */
public final class MoM extends Layer implements RoutedLayer {
    private final Builder config;
    private final TopKRouter router;
    private final GatedDeltaNet.Core core;
    private final List<GatedDeltaNet.Writes> memories = new ArrayList<>();
    private final GatedDeltaNet.Writes shared;
    private final GatedDeltaNet.Output output;
    /** The router's own short convolution ({@link RouterInput#SHORT_CONV}), or null. */
    private final ShortConvolution routerConv;

    /** What the router reads at token t. */
    public enum RouterInput {
        /** x_t, the layer's (pre-normed) input at t: the paper's router. */
        HIDDEN,
        /** SiLU(causal depthwise conv of width 4 over x)_t: the router also sees the three previous tokens (ours). */
        SHORT_CONV
    }

    private MoM(Builder b) {
        this.config = b;
        Rng rng = b.rng != null ? b.rng : new Rng(b.seed).fork("mom");
        int dk = b.headDim, dv = b.valueDim;
        this.router = registerModule("router", TopKRouter.learned(b.dModel, b.memories, b.topK, rng));
        this.core = registerModule("core", new GatedDeltaNet.Core(b.dModel, b.heads, dk, dv, 4, b.initStd, rng));
        for (int m = 0; m < b.memories; m++) {
            // singleKvProj ablation: one set of k/v/β/a projections for all memories; only the routing differs.
            GatedDeltaNet.Writes w = b.singleKvProj && m > 0 ? memories.get(0) : new GatedDeltaNet.Writes(b.dModel, b.heads, dk, dv, b.initStd, rng);
            if (!(b.singleKvProj && m > 0)) registerModule("memory" + m, w);
            memories.add(w);
        }
        this.shared = b.sharedMemory ? registerModule("shared", new GatedDeltaNet.Writes(b.dModel, b.heads, dk, dv, b.initStd, rng)) : null;
        this.output = registerModule("output", new GatedDeltaNet.Output(b.dModel, b.heads, dv, b.initStd, rng));
        // Drawn last, so the default (HIDDEN) draws every other weight exactly as before the option existed.
        this.routerConv = b.routerInput == RouterInput.SHORT_CONV
                ? registerModule("routerConv", new ShortConvolution(b.dModel, 4, b.initStd, rng)) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** x [B, T, D] → [B, T, D], routed by the learned router in a pass of its own (its routing is not kept). */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, RoutingContext.evaluation());
    }

    /**
     * x [B, T, D] → [B, T, D] in a decoder's pass: the pass's per-token labels, when it has them, are the memories an
     * oracle forces (see {@link #forward(Tensor, int[], RoutingContext)}); without labels the router routes.
     */
    @Override
    public Tensor forward(Tensor x, RoutingContext pass) {
        return forward(x, pass.labels(), pass);
    }

    /**
     * x [B, T, D] → [B, T, D]. The routing (learned, or {@code forcedMemory}: one memory per token that replaces the
     * router with a fixed top-1 assignment of weight 1, the oracle diagnostic, not part of the paper) is recorded in
     * {@code pass}'s recorder, where {@link #balanceLoss}, {@link #tokenShare} and {@link #selection} read it.
     */
    public Tensor forward(Tensor x, int[] forcedMemory, RoutingContext pass) {
        Require.input(this, x, config.dModel, 3);
        int b = x.size(0), t = x.size(1), n = b * t, d = config.dModel, hv = config.heads * config.valueDim;
        Tensor flat = x.reshape(n, d);
        // The router has no noise (no jitter) and takes k from its own config: the pass only records the routing.
        Tensor routedOn = routerConv == null ? flat : routerConv.forward(x).reshape(n, d);
        Routing routing = forcedMemory == null ? router.route(routedOn, RoutingContext.evaluation()) : forced(forcedMemory, n);
        pass.recorder().record(this, routing);
        Pairs pairs = Pairs.of(routing);
        // Every memory's tokens, per batch row and in time order, stacked as (M [+1 shared]) × B sequences of one
        // padded length; the shared memory's "bucket" is the whole sequence with weight 1. One scan runs them all.
        Stack stack = pairs.stack(config.memories, b, t, shared != null);
        List<GatedDeltaNet.Writes> groups = new ArrayList<>(memories);
        if (shared != null) groups.add(shared);
        Tensor xs = RowBuckets.pack(flat, stack.token).reshape(groups.size() * b, stack.length, d);
        Tensor o = core.memories(xs, groups).reshape(groups.size() * b * stack.length, hv);
        Tensor weights = shared == null ? pairs.weights : Reshaping.concat(0, pairs.weights, Tensor.ones(n, 1));
        Tensor w = RowBuckets.pack(weights, stack.pair);
        // o_t = Σ_{m∈sel} w_{t,m} o_t^m (+ o_t^shared): the scatter-add back to token order does the sum.
        Tensor mixed = RowBuckets.unpack(o.mul(w), stack.token, n);
        return output.forward(mixed.reshape(b, t, config.heads, config.valueDim), x);
    }

    /** Top-1 routing to the given memories with weight 1 (no logits, no balance loss). */
    private Routing forced(int[] memory, int n) {
        if (memory.length != n) throw new IllegalArgumentException("MoM: forced routing needs one memory per token (" + n + "), got " + memory.length);
        return Routing.hard(memory, config.memories);
    }

    /** This layer's weighted balance loss in {@code pass} (0 when it did not run, was forced, or has weight 0). */
    public Tensor balanceLoss(RoutingContext pass) {
        Routing r = pass.recorder().of(this);
        if (r == null || config.auxWeight == 0 || !r.auxLosses().containsKey(AuxLosses.LOAD_BALANCE)) return Tensor.scalar(0f);
        // Switch's loss counts f over all N·k slots; MoM/Mixtral's counts it per token: k times larger.
        return r.auxLosses().get(AuxLosses.LOAD_BALANCE).mul(config.auxWeight * config.topK);
    }

    /** For each memory, the share of {@code routing}'s slots it received. */
    public static double[] tokenShare(Routing routing) {
        double[] share = new double[routing.numExperts()];
        Assignments a = routing.assignments();
        for (int i = 0; i < a.size(); i++) share[a.expert(i)] += 1.0 / a.size();
        return share;
    }

    /** The memories each token was routed to: [token][j], in routing order. */
    public static int[][] selection(Routing routing) {
        Assignments a = routing.assignments();
        int[][] sel = new int[routing.numTokens()][];
        int[] count = new int[sel.length];
        for (int i = 0; i < a.size(); i++) count[a.token(i)]++;
        for (int i = 0; i < sel.length; i++) sel[i] = new int[count[i]];
        Arrays.fill(count, 0);
        for (int i = 0; i < a.size(); i++) sel[a.token(i)][count[a.token(i)]++] = a.expert(i);
        return sel;
    }

    // ---------------------------------------------------------------- decoding

    /** Decoding state: M routed memories and the shared one, each S [H, d_k, d_v] plus its conv windows. */
    public final class State {
        final GatedDeltaNet.MemoryState[] routed = new GatedDeltaNet.MemoryState[config.memories];
        final GatedDeltaNet.MemoryState sharedState;
        /** The router's conv window ({@link RouterInput#SHORT_CONV}), or null. */
        final float[] routerWindow;
        int[] lastSelected = new int[0];

        State() {
            for (int m = 0; m < routed.length; m++) routed[m] = core.newState();
            sharedState = shared == null ? null : core.newState();
            routerWindow = routerConv == null ? null : routerConv.newBuffer();
        }

        /** Memory m's matrix state (live; copy it to compare across steps). */
        public float[] memory(int m) {
            return routed[m].s;
        }

        /** The memories the last step wrote to. */
        public int[] lastSelected() {
            return lastSelected.clone();
        }

        /** Every float the state holds: (M+1)·H·d_k·d_v matrix entries plus 3·(M+1) conv windows; constant. */
        public int floats() {
            int f = 0;
            for (GatedDeltaNet.MemoryState s : routed) f += s.floats();
            return f + (sharedState == null ? 0 : sharedState.floats()) + (routerWindow == null ? 0 : routerWindow.length);
        }
    }

    public State state() {
        return new State();
    }

    /** One token x [D] → y [D]: routes, advances only the selected memories (and the shared one). */
    public float[] step(State st, float[] x) {
        if (x.length != config.dModel) throw new IllegalArgumentException("MoM.step: token has " + x.length + " features, expected dModel = " + config.dModel);
        try (var scope = GradMode.noGrad()) {
            float[] routedOn = routerConv == null ? x : routerConv.step(st.routerWindow, x);
            Tensor logits = router.gate().forward(Tensor.of(routedOn, 1, config.dModel));
            Indexing.TopK top = Indexing.topK(logits, config.topK);
            float[] w = top.values().softmax().data();
            float[] o = new float[config.heads * config.valueDim];
            st.lastSelected = new int[config.topK];
            for (int j = 0; j < config.topK; j++) {
                int m = top.index(0, j);
                st.lastSelected[j] = m;
                float[] om = core.step(st.routed[m], x, memories.get(m));
                for (int i = 0; i < o.length; i++) o[i] += w[j] * om[i];
            }
            if (shared != null) {
                float[] os = core.step(st.sharedState, x, shared);
                for (int i = 0; i < o.length; i++) o[i] += os[i];
            }
            return output.step(o, x);
        }
    }

    // ---------------------------------------------------------------- bookkeeping

    /** Recurrent state a token activates: (k + shared)·H·d_k·d_v floats (the paper's "activated memory"). */
    public long activatedStateFloats() {
        return (long) (config.topK + (shared == null ? 0 : 1)) * config.heads * config.headDim * config.valueDim;
    }

    public int memories() { return config.memories; }

    public int topK() { return config.topK; }

    public boolean hasSharedMemory() { return shared != null; }

    public TopKRouter router() { return router; }

    public GatedDeltaNet.Core core() { return core; }

    public GatedDeltaNet.Writes memory(int m) { return memories.get(m); }

    /** The shared memory's projections, or null. */
    public GatedDeltaNet.Writes sharedMemory() { return shared; }

    public GatedDeltaNet.Output output() { return output; }

    @Override
    public String toString() {
        Builder b = config;
        return "MoM(M=" + b.memories + ", top-" + b.topK + (shared != null ? " + shared" : "") + (b.singleKvProj ? ", single kv proj" : "")
                + (routerConv != null ? ", router on a short conv" : "") + ", heads=" + b.heads + ", d_k=" + b.headDim + ", d_v=" + b.valueDim + ", " + numParameters() + " parameters)";
    }

    /** (token, memory) pairs in token order, with their combine weights [pairs, 1]. */
    private record Pairs(int[] token, int[] memory, Tensor weights) {
        static Pairs of(Routing r) {
            int size = r.assignments().size();
            int[] token = new int[size], memory = new int[size];
            for (int i = 0; i < size; i++) {
                token[i] = r.assignments().token(i);
                memory[i] = r.assignments().expert(i);
            }
            return new Pairs(token, memory, r.weights().reshape(size, 1));
        }

        /**
         * Sequence (m, row) of the stack holds the tokens of batch row {@code row} routed to memory m, in time order
         * (iterating pairs in token order is the stable sort the reference's argsort does not promise), padded at
         * the end (index −1) to one common length; with {@code shared}, group M holds every token (pair index
         * pairs + token, whose weight is 1).
         */
        Stack stack(int memories, int batch, int time, boolean shared) {
            int[][] count = new int[memories][batch];
            int length = shared ? time : 0;
            for (int i = 0; i < token.length; i++) length = Math.max(length, ++count[memory[i]][token[i] / time]);
            int groups = memories + (shared ? 1 : 0);
            int[] tok = new int[groups * batch * length], pair = new int[groups * batch * length];
            Arrays.fill(tok, -1);
            Arrays.fill(pair, -1);
            for (int[] c : count) Arrays.fill(c, 0);
            for (int i = 0; i < token.length; i++) {
                int m = memory[i], row = token[i] / time;
                int slot = (m * batch + row) * length + count[m][row]++;
                tok[slot] = token[i];
                pair[slot] = i;
            }
            if (shared) {
                for (int row = 0; row < batch; row++) {
                    for (int tt = 0; tt < time; tt++) {
                        int slot = (memories * batch + row) * length + tt;
                        tok[slot] = row * time + tt;
                        pair[slot] = token.length + row * time + tt;
                    }
                }
            }
            return new Stack(tok, pair, length);
        }
    }

    private record Stack(int[] token, int[] pair, int length) {}

    /** Hyper-parameters (the paper's M = 4, top-2, shared memory, aux 1e-3 by default); {@link #build()} validates. */
    public static final class Builder {
        private int dModel = -1, heads = 1, headDim = -1, valueDim = -1, memories = 4, topK = 2;
        private boolean sharedMemory = true, singleKvProj = false;
        private RouterInput routerInput = RouterInput.HIDDEN;
        private float auxWeight = 1e-3f, initStd = GatedDeltaNet.INIT_STD;
        private long seed = Rng.defaultSeed();
        private Rng rng;

        public Builder dModel(int v) { dModel = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        /** d_k per head (default dModel / heads). */
        public Builder headDim(int v) { headDim = v; return this; }
        /** d_v per head (default d_k). */
        public Builder valueDim(int v) { valueDim = v; return this; }
        public Builder memories(int v) { memories = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder sharedMemory(boolean v) { sharedMemory = v; return this; }
        public Builder singleKvProj(boolean v) { singleKvProj = v; return this; }
        /** What the router reads ({@link RouterInput}; default {@link RouterInput#HIDDEN}, the paper's). */
        public Builder routerInput(RouterInput v) { routerInput = v; return this; }
        /** Balance-loss coefficient (MoM/Mixtral definition, k at balance); 0 disables it. */
        public Builder auxWeight(float v) { auxWeight = v; return this; }
        /**
         * Std of the N(0, initStd²) init of the memories' projections and short convs, the output gate and W_o
         * (default {@link GatedDeltaNet#INIT_STD} = 0.02, fla's {@code initializer_range}); 0 = PyTorch's module
         * defaults, the pre-issue-13 init (see {@link GatedDeltaNet}). The router keeps its own init.
         */
        public Builder initStd(float v) { initStd = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /** Draw the initial weights from this stream instead of a fresh one seeded by {@link #seed}. */
        public Builder rng(Rng v) { rng = v; return this; }

        public MoM build() {
            String o = "MoM";
            Require.required(o, "dModel", dModel);
            Require.positive(o, "heads", heads);
            Require.positive(o, "memories", memories);
            Require.positive(o, "topK", topK);
            if (topK > memories) throw new IllegalArgumentException(o + ": topK must be <= memories (each token picks topK of the memories): topK=" + topK + ", memories=" + memories);
            int hd = headDim, vd = valueDim;
            if (hd == -1) {
                if (dModel % heads != 0) throw new IllegalArgumentException(o + ": heads must divide dModel when headDim is not given: dModel=" + dModel + ", heads=" + heads);
                hd = dModel / heads;
            }
            Require.positive(o, "headDim", hd);
            if (vd == -1) vd = hd;
            Require.positive(o, "valueDim", vd);
            Require.nonNegative(o, "auxWeight", auxWeight);
            Require.nonNegative(o, "initStd", initStd);
            Require.notNull(o, "routerInput (HIDDEN or SHORT_CONV)", routerInput);
            // The model keeps its own copy, so reusing this builder never changes a built layer.
            Builder copy = new Builder();
            copy.dModel = dModel; copy.heads = heads; copy.headDim = hd; copy.valueDim = vd; copy.memories = memories;
            copy.topK = topK; copy.sharedMemory = sharedMemory; copy.singleKvProj = singleKvProj; copy.auxWeight = auxWeight;
            copy.initStd = initStd; copy.routerInput = routerInput;
            copy.seed = seed; copy.rng = rng;
            return new MoM(copy);
        }
    }
}
