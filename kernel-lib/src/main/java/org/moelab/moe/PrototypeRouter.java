package org.moelab.moe;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * ProMoE's prototypical routing (paper Eq. 4–5, step 2 of the two-step router): learnable prototypes
 * P ∈ R^{E×D}, initialised N(0, 0.02), and
 *
 * <pre>
 *   Z[t, j] = α · cos(h_t, P_j)      α = 1
 *   S = σ(Z)                          σ = identity (the paper), softmax or sigmoid (Table 8 ablation)
 *   each token goes to argmax_j S[t, j] (top-1) with gate weight S[t, j]: for identity the raw cosine, in [−1, 1]
 *   and possibly negative, not renormalised
 * </pre>
 *
 * Aux terms (unweighted, the model applies coefficients): {@link #RCL} the routing contrastive loss over the
 * tokens this router saw, when enabled; {@link AuxLosses#LOAD_BALANCE} on softmax(Z), which ProMoE does not use
 * (Table 17 ablation). A usage counter tracks which prototypes received tokens since the last {@link #resetUsage()}
 * — a prototype without tokens gets no gradient from either loss and never comes back (the dead-prototype spiral).
 */
public final class PrototypeRouter extends Module implements Router {
    /** Key of the routing contrastive loss in {@link Routing#auxLosses()}. */
    public static final String RCL = "rcl";

    /** The score activation σ applied to α·cos before top-1. */
    public enum GateActivation { IDENTITY, SOFTMAX, SIGMOID }

    private final Tensor prototypes;
    private final int numExperts;
    private final float alpha;
    private final GateActivation activation;
    private final boolean contrastive;
    private final float temperature;
    private final long[] usage;

    /**
     * @param contrastive whether to compute the RCL aux term
     * @param temperature the RCL temperature τ
     */
    public PrototypeRouter(int dModel, int numExperts, float alpha, GateActivation activation, boolean contrastive, float temperature, Rng rng) {
        String o = "PrototypeRouter";
        Require.positive(o, "dModel", dModel);
        this.numExperts = Require.positive(o, "experts", numExperts);
        this.alpha = Require.positive(o, "alpha", alpha);
        this.activation = Require.notNull(o, "activation (IDENTITY, SOFTMAX or SIGMOID)", activation);
        this.temperature = Require.positive(o, "RCL temperature", temperature);
        this.contrastive = contrastive;
        this.prototypes = registerParameter("prototypes", Tensor.randn(Require.notNull(o, "rng", rng), 0.02f, numExperts, dModel));
        this.usage = new long[numExperts];
    }

    /** The paper's router: α = 1, identity scores, RCL with τ = 0.07. */
    public static PrototypeRouter paper(int dModel, int numExperts, Rng rng) {
        return new PrototypeRouter(dModel, numExperts, 1f, GateActivation.IDENTITY, true, RoutingContrastiveLoss.DEFAULT_TEMPERATURE, rng);
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        Require.input("PrototypeRouter", tokens, prototypes.size(1), 2);
        int t = tokens.size(0);
        Tensor cosine = RoutingContrastiveLoss.normaliseRows(tokens).matmul(RoutingContrastiveLoss.normaliseRows(prototypes), false, true);
        Tensor z = alpha == 1f ? cosine : cosine.mul(alpha);
        Tensor scores = switch (activation) {
            case IDENTITY -> z;
            case SOFTMAX -> z.softmax();
            case SIGMOID -> z.sigmoid();
        };
        // every activation is monotone per row, so argmax S = argmax cos; ties go to the lower index
        Indexing.TopK top1 = Indexing.topK(scores.detach(), 1);
        int[] token = new int[t], expert = new int[t], flat = new int[t];
        for (int i = 0; i < t; i++) {
            int best = top1.index(i, 0);
            token[i] = i;
            expert[i] = best;
            flat[i] = i * numExperts + best;
            usage[best]++;
        }
        Assignments assignments = new Assignments(t, numExperts, token, expert);
        Tensor weights = scores.reshape(-1, 1).gatherRows(flat).reshape(t);
        Tensor probabilities = z.softmax();
        Map<String, Tensor> aux = new LinkedHashMap<>();
        if (contrastive) aux.put(RCL, RoutingContrastiveLoss.of(prototypes, tokens, expert, temperature));
        aux.put(AuxLosses.LOAD_BALANCE, AuxLosses.loadBalance(probabilities, assignments));
        return new Routing(assignments, weights, z, probabilities, aux);
    }

    public Tensor prototypes() {
        return prototypes;
    }

    /** Tokens each prototype received since the last {@link #resetUsage()}. */
    public long[] usage() {
        return usage.clone();
    }

    /** Prototypes that received at least one token since the last {@link #resetUsage()}. */
    public int livePrototypes() {
        int live = 0;
        for (long u : usage) if (u > 0) live++;
        return live;
    }

    public void resetUsage() {
        java.util.Arrays.fill(usage, 0);
    }

    public GateActivation activation() {
        return activation;
    }

    public boolean contrastive() {
        return contrastive;
    }

    @Override
    public int numExperts() {
        return numExperts;
    }

    @Override
    public String describe() {
        return "prototypical top-1, " + activation.name().toLowerCase() + " gate" + (contrastive ? ", RCL τ=" + temperature : "");
    }
}
