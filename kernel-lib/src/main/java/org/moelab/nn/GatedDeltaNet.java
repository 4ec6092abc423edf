package org.moelab.nn;

import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Gated DeltaNet (Yang, Kautz, Hatamizadeh 2024), the token mixer MoM wraps, as one memory; a port of fla's
 * {@code fla/layers/gated_deltanet.py} (defaults {@code use_gate=True}, {@code use_short_conv=True},
 * {@code conv_size=4}, {@code allow_neg_eigval=False}):
 * <pre>
 *   q = silu(conv(x W_q)),  k = silu(conv(x W_k)),  v = silu(conv(x W_v))     short causal conv, width 4
 *   q, k ← q/‖q‖, k/‖k‖ per head;   β = sigmoid(x W_β);   g = −exp(A_log)·softplus(x W_a + dt_bias)
 *   S_t = e^{g_t} (I − β_t k_t k_tᵀ) S_{t−1} + β_t k_t v_tᵀ;   o_t = d_k^{-1/2} S_tᵀ q_t   ({@link DeltaRule})
 *   y_t = W_o [RMSNorm_head(o_t) ⊙ silu(x_t W_gate)]
 * </pre>
 * The pieces are public because MoM is built from them: {@link Core} (the shared q projection, convs, A_log,
 * dt_bias), {@link Writes} (what each memory owns: k, v, β, a projections) and {@link Output} (gated norm + W_o).
 *
 * <p><b>Initialisation (issue 13).</b> As fla's {@code GatedDeltaNetPreTrainedModel._init_weights}: every
 * projection (q, k, v, β, a, gate, o) and every short-conv filter ~ N(0, {@value #INIT_STD}²)
 * ({@code initializer_range}); A ~ U(0, 16), A_log = log A; dt ~ logU[1e-3, 0.1] (floor 1e-4),
 * dt_bias = softplus⁻¹(dt); A_log and dt_bias are exempt from weight decay (rank 1). Until issue 13 the layer used
 * PyTorch's module defaults instead (U(±1/√d) projections, U(±1/2) conv filters: 3.6× and 14× larger at d = 64):
 * every forward and backward pass was right, but q and k are L2-normalised and the output is RMS-normalised,
 * so those weights are scale-invariant and Adam's fixed-size steps turn them 3.6–14× more slowly relative to
 * their size — the layer sat on the loss plateau of MQAR (ln 128, "any value") for ~700 of its 1,500 steps
 * and reached 0.10–0.31 query accuracy where linear attention reached 0.93–0.97 (papers/mom.md).
 * {@code initStd = 0} restores the old PyTorch-default init (for that comparison).
 */
public final class GatedDeltaNet extends Layer {
    /** fla's {@code initializer_range}: the std of every projection's and conv filter's normal init. */
    public static final float INIT_STD = 0.02f;

    private final Core core;
    private final Writes writes;
    private final Output output;

    /** Shorthand for {@link #GatedDeltaNet(int, int, int, int, float, Rng)} with fla's init ({@link #INIT_STD}). */
    public GatedDeltaNet(int dModel, int heads, int dk, int dv, Rng rng) {
        this(dModel, heads, dk, dv, INIT_STD, rng);
    }

    /**
     * @param dModel  D, the hidden size of x [B, T, D] (fla's {@code hidden_size})
     * @param heads   H, number of heads (fla's {@code num_heads}); q/k are [B, T, H, d_k], v [B, T, H, d_v]
     * @param dk      d_k, the key/query dimension per head (fla's {@code head_dim}); the state is d_k × d_v per head
     * @param dv      d_v, the value dimension per head (fla's {@code head_dim · expand_v}; fla's default
     *                {@code expand_v} is 2, the MoM recall study uses d_v = d_k so that every arm has the same state)
     * @param initStd std of the N(0, initStd²) init of every projection and conv filter ({@link #INIT_STD} = fla);
     *                0 = PyTorch's module defaults (U(±1/√fan_in)), the pre-issue-13 behaviour
     * @param rng     stream the weights are drawn from
     */
    public GatedDeltaNet(int dModel, int heads, int dk, int dv, float initStd, Rng rng) {
        this.core = registerModule("core", new Core(dModel, heads, dk, dv, 4, initStd, rng));
        this.writes = registerModule("writes", new Writes(dModel, heads, dk, dv, initStd, rng));
        this.output = registerModule("output", new Output(dModel, heads, dv, initStd, rng));
    }

    /** A projection W [out, in] (no bias): N(0, initStd²) for initStd &gt; 0, else PyTorch's U(±1/√in). */
    static Linear projection(int in, int out, float initStd, Rng rng) {
        Require.nonNegative("GatedDeltaNet", "initStd", initStd);
        return initStd > 0 ? new Linear(in, out, false, initStd, rng) : new Linear(in, out, false, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, core.dModel, 3);
        return output.forward(core.memory(x, writes), x);
    }

    /** A fresh decoding state: one d_k × d_v matrix per head plus the conv windows. */
    public MemoryState state() {
        return core.newState();
    }

    /** One decoding step for one token x [D]: the state advances in place; constant memory. */
    public float[] step(MemoryState state, float[] x) {
        try (var scope = GradMode.noGrad()) {
            return output.step(core.step(state, x, writes), x);
        }
    }

    public Core core() { return core; }

    public Writes writes() { return writes; }

    public Output output() { return output; }

    @Override
    public String toString() {
        return "GatedDeltaNet(dModel=" + core.dModel + ", heads=" + core.heads + ", d_k=" + core.dk + ", d_v=" + core.dv + ")";
    }

    /** One memory's decoding state: S [H, d_k, d_v] and the q/k/v conv windows. */
    public static final class MemoryState {
        public final float[] s, convQ, convK, convV;

        MemoryState(Core c) {
            s = new float[c.heads * c.dk * c.dv];
            convQ = c.convQ.newBuffer();
            convK = c.convK.newBuffer();
            convV = c.convV.newBuffer();
        }

        public MemoryState copy(Core c) {
            MemoryState m = new MemoryState(c);
            System.arraycopy(s, 0, m.s, 0, s.length);
            System.arraycopy(convQ, 0, m.convQ, 0, convQ.length);
            System.arraycopy(convK, 0, m.convK, 0, convK.length);
            System.arraycopy(convV, 0, m.convV, 0, convV.length);
            return m;
        }

        public int floats() {
            return s.length + convQ.length + convK.length + convV.length;
        }
    }

    /**
     * What a memory owns: k [D → H·d_k], v [D → H·d_v], β [D → H] and decay-input a [D → H] projections, no bias
     * (fla's {@code k_proj}, {@code v_proj}, {@code b_proj}, {@code a_proj}).
     */
    public static final class Writes extends Module {
        final Linear k, v, beta, decay;

        /** With fla's init ({@link #INIT_STD}). */
        public Writes(int dModel, int heads, int dk, int dv, Rng rng) {
            this(dModel, heads, dk, dv, INIT_STD, rng);
        }

        /** Arguments as {@link GatedDeltaNet#GatedDeltaNet(int, int, int, int, float, Rng)}. */
        public Writes(int dModel, int heads, int dk, int dv, float initStd, Rng rng) {
            this.k = registerModule("k", projection(dModel, heads * dk, initStd, rng));
            this.v = registerModule("v", projection(dModel, heads * dv, initStd, rng));
            this.beta = registerModule("beta", projection(dModel, heads, initStd, rng));
            this.decay = registerModule("decay", projection(dModel, heads, initStd, rng));
        }
    }

    /** The parts every memory shares: q projection, the three short convs, A_log and dt_bias (per head). */
    public static final class Core extends Module {
        final int dModel, heads, dk, dv;
        final Linear q;
        final ShortConvolution convQ, convK, convV;
        final Tensor aLog, dtBias;

        /** With fla's init ({@link #INIT_STD}). */
        public Core(int dModel, int heads, int dk, int dv, int convWidth, Rng rng) {
            this(dModel, heads, dk, dv, convWidth, INIT_STD, rng);
        }

        /**
         * Arguments as {@link GatedDeltaNet#GatedDeltaNet(int, int, int, int, float, Rng)}, plus
         * {@code convWidth}, the short convs' kernel size (fla's {@code conv_size}, 4). Owns q [D → H·d_k], the
         * depthwise convs over q [H·d_k], k [H·d_k] and v [H·d_v] channels, and A_log, dt_bias [H].
         */
        public Core(int dModel, int heads, int dk, int dv, int convWidth, float initStd, Rng rng) {
            String o = "GatedDeltaNet";
            this.dModel = Require.positive(o, "dModel", dModel);
            this.heads = Require.positive(o, "heads", heads);
            this.dk = Require.positive(o, "d_k", dk);
            this.dv = Require.positive(o, "d_v", dv);
            this.q = registerModule("q", projection(dModel, heads * dk, initStd, rng));
            this.convQ = registerModule("convQ", new ShortConvolution(heads * dk, convWidth, initStd, rng));
            this.convK = registerModule("convK", new ShortConvolution(heads * dk, convWidth, initStd, rng));
            this.convV = registerModule("convV", new ShortConvolution(heads * dv, convWidth, initStd, rng));
            // A ~ U(0, 16), A_log = log A; dt ~ logU[1e-3, 0.1] (≥ 1e-4), dt_bias = softplus⁻¹(dt) (fla's init).
            float[] a = new float[heads], dt = new float[heads];
            for (int h = 0; h < heads; h++) {
                a[h] = (float) StrictMath.log(Math.max(1e-4, 16 * rng.nextDouble()));
                double d = Math.max(1e-4, StrictMath.exp(StrictMath.log(1e-3) + rng.nextDouble() * (StrictMath.log(0.1) - StrictMath.log(1e-3))));
                dt[h] = (float) (d + StrictMath.log(-StrictMath.expm1(-d)));
            }
            this.aLog = registerParameter("A_log", Tensor.of(a, heads));
            this.dtBias = registerParameter("dt_bias", Tensor.of(dt, heads));
        }

        /** One memory run over x [B, L, D] (its own token subsequence): o [B, L, H, d_v]. */
        public Tensor memory(Tensor x, Writes w) {
            int b = x.size(0), l = x.size(1);
            Tensor qq = convQ.forward(q.forward(x)).reshape(b, l, heads, dk);
            Tensor kk = convK.forward(w.k.forward(x)).reshape(b, l, heads, dk);
            Tensor vv = convV.forward(w.v.forward(x)).reshape(b, l, heads, dv);
            Tensor beta = w.beta.forward(x).sigmoid().reshape(b, l, heads);
            Tensor g = DeltaRule.logDecay(w.decay.forward(x).reshape(b, l, heads), aLog, dtBias);
            return DeltaRule.scan(qq, kk, vv, beta, g, DeltaRule.FeatureMap.L2_NORM);
        }

        /**
         * Several memories in one scan: x [G·B, L, D] holds G groups of B sequences, group i written with
         * {@code writes.get(i)}. The shared q projection and convs run on the whole stack at once, each group's
         * k/v/β/a projections on its own rows; the result equals G calls of {@link #memory}, with a fraction of
         * the op overhead (MoM's M routed memories and its shared memory are the groups).
         */
        public Tensor memories(Tensor x, java.util.List<Writes> writes) {
            int s = x.size(0), l = x.size(1), groups = writes.size();
            if (s % groups != 0) throw new IllegalArgumentException("GatedDeltaNet.memories: " + s + " sequences do not split into " + groups + " groups");
            int per = s / groups;
            Tensor qq = convQ.forward(q.forward(x)).reshape(s, l, heads, dk);
            Tensor[] k = new Tensor[groups], v = new Tensor[groups], beta = new Tensor[groups], a = new Tensor[groups];
            boolean allSame = writes.stream().allMatch(w -> w == writes.get(0));
            for (int g = 0; g < (allSame ? 1 : groups); g++) {
                Tensor xg = allSame ? x : org.moelab.tensor.Reshaping.slice(x, 0, g * per, (g + 1) * per);
                Writes w = writes.get(g);
                k[g] = w.k.forward(xg);
                v[g] = w.v.forward(xg);
                beta[g] = w.beta.forward(xg);
                a[g] = w.decay.forward(xg);
            }
            Tensor kk = convK.forward(cat(k, allSame)).reshape(s, l, heads, dk);
            Tensor vv = convV.forward(cat(v, allSame)).reshape(s, l, heads, dv);
            Tensor bb = cat(beta, allSame).sigmoid().reshape(s, l, heads);
            Tensor g = DeltaRule.logDecay(cat(a, allSame).reshape(s, l, heads), aLog, dtBias);
            return DeltaRule.scan(qq, kk, vv, bb, g, DeltaRule.FeatureMap.L2_NORM);
        }

        private static Tensor cat(Tensor[] parts, boolean single) {
            return single || parts.length == 1 ? parts[0] : org.moelab.tensor.Reshaping.concat(0, parts);
        }

        public MemoryState newState() {
            return new MemoryState(this);
        }

        /** The decoding form of {@link #memory} for one token: o [H·d_v]; advances {@code st} in place. */
        public float[] step(MemoryState st, float[] x, Writes w) {
            try (var scope = GradMode.noGrad()) {
                Tensor xt = Tensor.of(x, 1, dModel);
                float[] qq = convQ.step(st.convQ, q.forward(xt).data());
                float[] kk = convK.step(st.convK, w.k.forward(xt).data());
                float[] vv = convV.step(st.convV, w.v.forward(xt).data());
                float[] beta = w.beta.forward(xt).sigmoid().data();
                float[] g = DeltaRule.logDecay(w.decay.forward(xt).reshape(1, 1, heads), aLog, dtBias).data();
                return DeltaRule.step(st.s, qq, kk, vv, beta, g, DeltaRule.FeatureMap.L2_NORM, heads);
            }
        }

        public int heads() { return heads; }

        public int dk() { return dk; }

        public int dv() { return dv; }
    }

    /**
     * y = W_o [RMSNorm_head(o) ⊙ silu(x W_gate)]: the gate reads the layer's input x, not the memories (fla's
     * {@code FusedRMSNormGated(head_v_dim, eps 1e-5)} with swish gate, then {@code o_proj}). Gate [D → H·d_v],
     * W_o [H·d_v → D], norm gain [d_v] shared by the heads.
     */
    public static final class Output extends Module {
        final int dModel, heads, dv;
        final RMSNorm norm;
        final Linear gate, out;

        /** With fla's init ({@link #INIT_STD}). */
        public Output(int dModel, int heads, int dv, Rng rng) {
            this(dModel, heads, dv, INIT_STD, rng);
        }

        /** Arguments as {@link GatedDeltaNet#GatedDeltaNet(int, int, int, int, float, Rng)}. */
        public Output(int dModel, int heads, int dv, float initStd, Rng rng) {
            this.dModel = dModel;
            this.heads = heads;
            this.dv = dv;
            this.norm = registerModule("norm", new RMSNorm(dv, 1e-5f));
            this.gate = registerModule("gate", projection(dModel, heads * dv, initStd, rng));
            this.out = registerModule("out", projection(heads * dv, dModel, initStd, rng));
        }

        /** o [B, T, H, d_v], x [B, T, D] → [B, T, D]. */
        public Tensor forward(Tensor o, Tensor x) {
            int b = x.size(0), t = x.size(1);
            Tensor normed = norm.forward(o).reshape(b, t, heads * dv);
            return out.forward(normed.mul(gate.forward(x).silu()));
        }

        public float[] step(float[] o, float[] x) {
            try (var scope = GradMode.noGrad()) {
                return forward(Tensor.of(o, 1, 1, heads, dv), Tensor.of(x, 1, 1, dModel)).data();
            }
        }
    }
}
