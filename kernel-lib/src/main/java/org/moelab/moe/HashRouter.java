package org.moelab.moe;

import java.util.Map;
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
        int t = tokens.size(0);
        int[] token = new int[t], expert = new int[t];
        for (int i = 0; i < t; i++) {
            if (ids[i] < 0 || ids[i] >= table.length) throw new IllegalArgumentException("HashRouter: token id " + ids[i] + " is outside the vocabulary [0, " + table.length + ")");
            token[i] = i;
            expert[i] = table[ids[i]];
        }
        return new Routing(new Assignments(t, numExperts, token, expert), Tensor.ones(t), null, null, Map.of());
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
