package org.moelab.moe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.tensor.Tensor;

/**
 * A router's decision for one batch of tokens: the (token, expert) pairs, their differentiable combine weights,
 * the router logits and probabilities when the router has them (for aux losses and diagnostics), and named
 * auxiliary-loss terms (unweighted; the model applies coefficients once over all layers).
 */
public record Routing(Assignments assignments, Tensor weights, Tensor logits, Tensor probabilities,
                      Map<String, Tensor> auxLosses) {

    public Routing {
        auxLosses = Collections.unmodifiableMap(new LinkedHashMap<>(auxLosses));
    }

    public int numTokens() {
        return assignments.numTokens();
    }

    public int numExperts() {
        return assignments.numExperts();
    }

    /** Routed slots per expert. */
    public int[] tokensPerExpert() {
        return assignments.countsPerExpert();
    }

    /** Share of tokens that reached no expert (capacity overflow, or never chosen under expert choice). */
    public double droppedShare() {
        return assignments.numTokens() == 0 ? 0 : (double) assignments.droppedTokens() / assignments.numTokens();
    }

    /** For each token, the expert with the largest combine weight, or -1 when the token was dropped. */
    public int[] primaryExpert() {
        int[] best = new int[numTokens()];
        float[] bestWeight = new float[numTokens()];
        java.util.Arrays.fill(best, -1);
        float[] w = weights.data();
        for (int i = 0; i < assignments.size(); i++) {
            int t = assignments.token(i);
            if (best[t] < 0 || w[i] > bestWeight[t]) {
                best[t] = assignments.expert(i);
                bestWeight[t] = w[i];
            }
        }
        return best;
    }
}
