package org.moelab.moe;

import org.moelab.nn.Require;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Hash routing (Roller et al. 2021): each vocabulary id goes to one fixed expert drawn at construction, with
 * weight 1. No parameters, perfectly stable, and a baseline that learned routers must beat. Needs the token ids
 * in the {@link RoutingContext}.
 */
public final class HashRouter implements Router {
    private final int numExperts;
    private final int[] table;

    public HashRouter(int vocabSize, int numExperts, Rng rng) {
        Require.positive("HashRouter", "vocabSize", vocabSize);
        this.numExperts = Require.positive("HashRouter", "experts", numExperts);
        // A balanced random assignment: ids dealt round-robin, then shuffled, so expert loads differ by at most one id.
        table = new int[vocabSize];
        for (int i = 0; i < vocabSize; i++) table[i] = i % numExperts;
        rng.shuffle(table);
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        int[] ids = context.tokenIds();
        if (ids == null || ids.length != tokens.size(0)) {
            throw new IllegalArgumentException("HashRouter: the routing context must carry one token id per token ("
                    + tokens.size(0) + "), got " + (ids == null ? "none" : ids.length));
        }
        int[] expert = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= table.length) throw new IllegalArgumentException("HashRouter: token id " + ids[i] + " is outside the vocabulary [0, " + table.length + ")");
            expert[i] = table[ids[i]];
        }
        return Routing.hard(expert, numExperts);
    }

    @Override
    public int numExperts() {
        return numExperts;
    }

    @Override
    public String describe() {
        return "hash";
    }
}
