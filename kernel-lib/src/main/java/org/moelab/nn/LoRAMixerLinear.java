package org.moelab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Reshaping;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * A projection with a routed mixture of LoRA experts (LoRA-Mixer, arXiv 2507.00029):
 * <pre>  y_t = W x_t + b + Σ_e w_{t,e} · (α/r) · B_e A_e x_t</pre>
 * with the weights w from a {@link LoRARoute} (hard by task label, soft over all experts, or top-k). Per expert only
 * the tokens routed to it are gathered, pushed through A_e and B_e, weighted and scattered back.
 *
 * <p>The route is an argument of every call, never stored: inside an attention it goes in through
 * {@link MultiHeadAttention#forward(Tensor, java.util.function.UnaryOperator, java.util.function.UnaryOperator,
 * java.util.function.UnaryOperator, java.util.function.UnaryOperator) the projection hooks}, one route per layer
 * shared by its Q, K, V and O.
 */
public final class LoRAMixerLinear extends Module {
    private final Linear base;
    private final List<LoRAExpert> experts;

    /** {@code numExperts} fresh adapters (B = 0) of the given rank and α around {@code base}. */
    public LoRAMixerLinear(Linear base, int numExperts, int rank, float alpha, Rng rng) {
        this(base, freshExperts(base, numExperts, rank, alpha, rng));
    }

    /** Existing adapters (trained per task, or loaded from files) around {@code base}; sizes must match it. */
    public LoRAMixerLinear(Linear base, List<LoRAExpert> experts) {
        Require.notNull("LoRAMixerLinear", "base", base);
        Require.notNull("LoRAMixerLinear", "experts", experts);
        if (experts.isEmpty()) throw new IllegalArgumentException("LoRAMixerLinear: experts must not be empty");
        this.base = registerModule("base", base);
        this.experts = List.copyOf(experts);
        Module holder = registerModule("experts", new ExpertList());
        for (int e = 0; e < this.experts.size(); e++) {
            LoRAExpert x = Require.notNull("LoRAMixerLinear", "experts[" + e + "]", this.experts.get(e));
            if (x.inFeatures() != base.inFeatures() || x.outFeatures() != base.outFeatures()) {
                throw new IllegalArgumentException("LoRAMixerLinear: expert " + e + " is " + x.inFeatures() + " -> " + x.outFeatures()
                        + " but the base Linear is " + base.inFeatures() + " -> " + base.outFeatures());
            }
            ((ExpertList) holder).add(e, x);
        }
    }

    private static List<LoRAExpert> freshExperts(Linear base, int numExperts, int rank, float alpha, Rng rng) {
        Require.notNull("LoRAMixerLinear", "base", base);
        Require.positive("LoRAMixerLinear", "numExperts", numExperts);
        List<LoRAExpert> out = new ArrayList<>();
        for (int e = 0; e < numExperts; e++) out.add(new LoRAExpert(base.inFeatures(), base.outFeatures(), rank, alpha, rng));
        return out;
    }

    /** Holds the experts so that their state-dict names read {@code experts.0.A}, {@code experts.0.B}, .... */
    private static final class ExpertList extends Module {
        void add(int index, LoRAExpert expert) {
            registerModule(Integer.toString(index), expert);
        }
    }

    /** y [..., out] for x [..., in], each token through the experts {@code route} gives it. */
    public Tensor forward(Tensor x, LoRARoute route) {
        Require.input(this, x, base.inFeatures());
        Require.notNull("LoRAMixerLinear", "route", route);
        int in = base.inFeatures(), out = base.outFeatures();
        Tensor rows = x.reshape(-1, in);
        int n = rows.size(0);
        if (route.numTokens() != n || route.numExperts() != experts.size()) {
            throw new IllegalArgumentException(this + ": route is for " + route.numTokens() + " tokens x " + route.numExperts()
                    + " experts, but the input " + Arrays.toString(x.shape()) + " has " + n + " tokens and this mixer " + experts.size() + " experts");
        }
        Tensor y = base.forward(rows);
        if (route.denseWeights() != null && uniformExperts()) return y.add(denseDelta(rows, route.denseWeights())).reshape(outShape(x, out));
        for (int e = 0; e < experts.size(); e++) {
            int[] tokens = route.tokensOf(e);
            Tensor w = route.weightsOf(e);
            if (tokens != null && tokens.length == 0) continue;
            // Δ_e = w_{t,e}·(α/r)·B_e A_e x_t on the routed tokens only, scattered back to their rows.
            Tensor delta = experts.get(e).delta(tokens == null ? rows : rows.gatherRows(tokens));
            if (w != null) delta = delta.mul(w);
            y = y.add(tokens == null ? delta : Indexing.scatterAddRows(delta, tokens, n));
        }
        return y.reshape(outShape(x, out));
    }

    private static int[] outShape(Tensor x, int out) {
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        return shape;
    }

    /** Whether every expert has the same rank and α/r (then all of them fit in one pair of GEMMs). */
    private boolean uniformExperts() {
        LoRAExpert first = experts.get(0);
        for (LoRAExpert e : experts) if (e.rank() != first.rank() || e.scale() != first.scale()) return false;
        return true;
    }

    /**
     * Σ_e w_{t,e}·(α/r)·B_e A_e x_t for every token and expert (a soft route) as two GEMMs rather than 2E:
     * H = x·[A_1; …; A_E]ᵀ [n, E·r], each expert's r columns scaled by w_{t,e}·α/r, then H·[B_1 … B_E]ᵀ. The same sum
     * as the per-expert loop in another order (one GEMM adds the experts up).
     */
    private Tensor denseDelta(Tensor rows, Tensor weights) {
        int e = experts.size(), r = experts.get(0).rank(), n = rows.size(0);
        Tensor[] as = new Tensor[e], bs = new Tensor[e];
        for (int i = 0; i < e; i++) {
            as[i] = experts.get(i).a();
            bs[i] = experts.get(i).b();
        }
        Tensor h = rows.matmul(Reshaping.concat(0, as), false, true);
        Tensor w = weights.mul(experts.get(0).scale()).reshape(n, e, 1);
        return h.reshape(n, e, r).mul(w).reshape(n, e * r).matmul(Reshaping.concat(1, bs), false, true);
    }

    /** Stops gradients into the base weight and bias; returns this. */
    public LoRAMixerLinear freezeBase() {
        freeze(base);
        return this;
    }

    /** Stops gradients into every expert (LoRA-Mixer's stage 2 trains only the router); returns this. */
    public LoRAMixerLinear freezeExperts() {
        for (LoRAExpert e : experts) e.frozen(true);
        return this;
    }

    static void freeze(Linear linear) {
        linear.weight().requiresGrad(false);
        if (linear.bias() != null) linear.bias().requiresGrad(false);
    }

    public Linear base() {
        return base;
    }

    public List<LoRAExpert> experts() {
        return experts;
    }

    public int numExperts() {
        return experts.size();
    }

    @Override
    public String toString() {
        return "LoRAMixerLinear(" + base + ", " + experts.size() + " experts)";
    }
}
