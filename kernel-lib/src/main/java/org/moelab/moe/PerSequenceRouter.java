package org.moelab.moe;

import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/**
 * Routes each sequence (image) of a batch on its own: tokens [B·S, d] are split into B groups of S consecutive
 * tokens and {@code inner} routes each group. This is how EC-DiT applies expert choice — every expert takes its
 * top S/E·capacity tokens <em>per image</em> — rather than over the whole batch, so no image can starve another.
 */
public final class PerSequenceRouter extends Module implements Router {
    private final Router inner;
    private final int sequenceLength;

    public PerSequenceRouter(Router inner, int sequenceLength) {
        this.inner = Require.notNull("PerSequenceRouter", "inner router", inner);
        this.sequenceLength = Require.positive("PerSequenceRouter", "sequenceLength", sequenceLength);
        if (inner instanceof Module m) registerModule("inner", m);
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        int t = tokens.size(0);
        if (t % sequenceLength != 0) throw new IllegalArgumentException("PerSequenceRouter: " + t + " tokens are not a whole number of sequences of " + sequenceLength);
        RoutingParts parts = new RoutingParts(t, numExperts());
        int[] ids = new int[sequenceLength];
        for (int start = 0; start < t; start += sequenceLength) {
            for (int i = 0; i < sequenceLength; i++) ids[i] = start + i;
            parts.add(inner.route(tokens.slice(0, start, start + sequenceLength), context), ids.clone());
        }
        return parts.build();
    }

    @Override
    public int numExperts() {
        return inner.numExperts();
    }

    @Override
    public String describe() {
        return inner.describe() + " per sequence of " + sequenceLength;
    }
}
