package org.moelab.moe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.nn.Linear;
import org.moelab.nn.LoRAExpert;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Reshaping;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * A projection with a routed mixture of LoRA experts (LoRA-Mixer, arXiv 2507.00029), an {@link ExpertBank} whose
 * always-on part is the (frozen) projection:
 * <pre>  y_t = W x_t + b + Σ_{(t,e,w) ∈ routing} w · (α/r) · B_e A_e x_t</pre>
 * driven by the same {@link Routing} an MoE layer takes: {@link Routing#hard} by task label (stage 1, oracle),
 * {@link Routing#dense} over all experts (stage 2's soft fusion), {@link Routing#topK}, or a router's own. Per expert
 * only the tokens routed to it are gathered, pushed through A_e and B_e, weighted and scattered back; a dense route
 * over experts of one rank runs as two GEMMs instead.
 *
 * <p>The routing is an argument of every call, never stored: inside an attention it goes in through
 * {@link org.moelab.nn.MultiHeadAttention#forward(Tensor, java.util.function.UnaryOperator, java.util.function.UnaryOperator,
 * java.util.function.UnaryOperator, java.util.function.UnaryOperator) the projection hooks}, one routing per layer
 * shared by its Q, K, V and O.
 */
public final class LoRAMixerLinear extends Module implements ExpertBank {
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

    /** y [..., out] for x [..., in] (tokens [N, in] as a bank), each token through the experts {@code routing} gives it. */
    @Override
    public Tensor forward(Tensor x, Routing routing) {
        Require.input(this, x, base.inFeatures());
        Require.notNull("LoRAMixerLinear", "routing", routing);
        Tensor rows = x.reshape(-1, base.inFeatures());
        int n = rows.size(0), count = experts.size();
        if (routing.numTokens() != n || routing.numExperts() != count) {
            throw new IllegalArgumentException(this + ": routing is for " + routing.numTokens() + " tokens x " + routing.numExperts()
                    + " experts, but the input " + Arrays.toString(x.shape()) + " has " + n + " tokens and this mixer " + count + " experts");
        }
        return mix(rows, routing).reshape(outShape(x, base.outFeatures()));
    }

    private Tensor mix(Tensor rows, Routing routing) {
        int n = rows.size(0), count = experts.size();
        Tensor y = base.forward(rows);
        Assignments a = routing.assignments();
        // A dense route's [N, E] weights: its probabilities when it has them (Routing.dense), else a view of the slots.
        boolean dense = a.isDense();
        Tensor denseWeights = !dense ? null : routing.probabilities() != null ? routing.probabilities() : routing.weights().reshape(n, count);
        if (dense && uniformExperts()) return y.add(denseDelta(rows, denseWeights));
        int[] order = a.groupedByExpert(), start = a.groupStarts();
        Tensor slotWeights = routing.weights().reshape(a.size(), 1);
        for (int e = 0; e < count; e++) {
            if (start[e] == start[e + 1]) continue;
            // Δ_e = w_{t,e}·(α/r)·B_e A_e x_t on the routed tokens only, scattered back to their rows; a dense route
            // sends every token, so it needs no gather or scatter.
            int[] slots = Arrays.copyOfRange(order, start[e], start[e + 1]);
            int[] tokens = new int[slots.length];
            for (int i = 0; i < slots.length; i++) tokens[i] = a.token(slots[i]);
            Tensor delta = experts.get(e).delta(dense ? rows : rows.gatherRows(tokens));
            delta = delta.mul(dense ? denseWeights.slice(1, e, e + 1) : slotWeights.gatherRows(slots));
            y = y.add(dense ? delta : Indexing.scatterAddRows(delta, tokens, n));
        }
        return y;
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

    private static void freeze(Linear linear) {
        linear.weight().requiresGrad(false);
        if (linear.bias() != null) linear.bias().requiresGrad(false);
    }

    public Linear base() {
        return base;
    }

    public List<LoRAExpert> experts() {
        return experts;
    }

    @Override
    public int numExperts() {
        return experts.size();
    }

    @Override
    public String toString() {
        return "LoRAMixerLinear(" + base + ", " + experts.size() + " experts)";
    }
}
