package org.moelab.moe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.moelab.tensor.Reshaping;
import org.moelab.tensor.Tensor;

/**
 * Joins routings made on subsets of a batch's tokens (the conditional tokens; each image's tokens) into one
 * {@link Routing} over all tokens: pair lists are concatenated with each part's token ids mapped back, combine
 * weights are concatenated (so gradients flow to every part), and aux terms of the same name are averaged over the
 * parts that report them. Logits and probabilities cover different token subsets, so the joined routing has none.
 */
final class RoutingParts {
    private final int numTokens, numExperts;
    private final List<Integer> token = new ArrayList<>(), expert = new ArrayList<>();
    private final List<Tensor> weights = new ArrayList<>();
    private final Map<String, List<Tensor>> aux = new LinkedHashMap<>();

    RoutingParts(int numTokens, int numExperts) {
        this.numTokens = numTokens;
        this.numExperts = numExperts;
    }

    /** Adds a routing made on tokens {@code tokenIds} (its token i is token tokenIds[i] of the batch). */
    RoutingParts add(Routing part, int[] tokenIds) {
        Assignments a = part.assignments();
        for (int i = 0; i < a.size(); i++) {
            token.add(tokenIds[a.token(i)]);
            expert.add(a.expert(i));
        }
        if (a.size() > 0) weights.add(part.weights());
        part.auxLosses().forEach((k, v) -> aux.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        return this;
    }

    /** Adds fixed pairs (token → expert) with constant weight 1. */
    RoutingParts addFixed(int[] tokenIds, int toExpert) {
        if (tokenIds.length == 0) return this;
        for (int t : tokenIds) {
            token.add(t);
            expert.add(toExpert);
        }
        weights.add(Tensor.ones(tokenIds.length));
        return this;
    }

    Routing build() {
        int[] t = token.stream().mapToInt(Integer::intValue).toArray(), e = expert.stream().mapToInt(Integer::intValue).toArray();
        Tensor w = weights.isEmpty() ? Tensor.zeros(0) : weights.size() == 1 ? weights.get(0) : Reshaping.concat(0, weights.toArray(new Tensor[0]));
        Map<String, Tensor> joined = new LinkedHashMap<>();
        aux.forEach((k, parts) -> {
            Tensor sum = parts.get(0);
            for (int i = 1; i < parts.size(); i++) sum = sum.add(parts.get(i));
            joined.put(k, parts.size() == 1 ? sum : sum.mul(1f / parts.size()));
        });
        return new Routing(new Assignments(numTokens, numExperts, t, e), w, null, null, joined);
    }
}
