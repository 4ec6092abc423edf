package org.moelab.moe;

import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/**
 * ProMoE's conditional routing (step 1 of the two-step router, paper §3.2): a hard split on the label each token's
 * image carries <em>after</em> classifier-free-guidance label dropout. Tokens whose label is the null id go to the
 * unconditional expert (index {@code inner.numExperts()}, the last one) with weight 1; all other tokens are routed
 * by {@code inner} (the prototypical router) among the first {@code inner.numExperts()} experts. Without CFG at
 * inference no label is null and the unconditional expert is unused; the CFG unconditional pass routes everything
 * to it.
 *
 * <p>Labels come from {@link RoutingContext#labels()}, one per token; they must be present.
 */
public final class ConditionalRouter extends Module implements Router {
    private final Router inner;
    private final int nullLabel;

    public ConditionalRouter(Router inner, int nullLabel) {
        this.inner = Require.notNull("ConditionalRouter", "inner router", inner);
        if (nullLabel < 0) throw new IllegalArgumentException("ConditionalRouter: nullLabel must be >= 0, got " + nullLabel);
        this.nullLabel = nullLabel;
        if (inner instanceof Module m) registerModule("inner", m);
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        int t = tokens.size(0);
        int[] labels = context.labels();
        if (labels == null || labels.length != t) {
            throw new IllegalArgumentException("ConditionalRouter: needs one label per token in the RoutingContext (withLabels), got "
                    + (labels == null ? "none" : labels.length + " labels") + " for " + t + " tokens");
        }
        int conditional = 0;
        for (int y : labels) if (y != nullLabel) conditional++;
        int[] cond = new int[conditional], uncond = new int[t - conditional];
        for (int i = 0, c = 0, u = 0; i < t; i++) {
            if (labels[i] != nullLabel) cond[c++] = i;
            else uncond[u++] = i;
        }
        RoutingParts parts = new RoutingParts(t, numExperts());
        if (conditional > 0) {
            int[] condLabels = new int[conditional];
            for (int i = 0; i < conditional; i++) condLabels[i] = labels[cond[i]];
            Tensor subset = conditional == t ? tokens : tokens.gatherRows(cond);
            parts.add(inner.route(subset, context.withLabels(condLabels)), cond);
        }
        return parts.addFixed(uncond, unconditionalExpert()).build();
    }

    /** Index of the unconditional expert (the last). */
    public int unconditionalExpert() {
        return inner.numExperts();
    }

    public Router inner() {
        return inner;
    }

    public int nullLabel() {
        return nullLabel;
    }

    @Override
    public int numExperts() {
        return inner.numExperts() + 1;
    }

    @Override
    public String describe() {
        return "conditional (null label → unconditional expert), then " + inner.describe();
    }
}
