package org.moelab.moe;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Expert-choice routing (Zhou et al. 2022): scores = softmax over experts per token; each expert then takes its
 * top-C tokens by score, C = ceil(capacityFactor·T/E), weighted by the score. Perfect load balance by
 * construction; a token may be taken by several experts or by none (it then passes through the residual).
 */
public final class ExpertChoiceRouter extends Module implements Router {
    private final Linear gate;
    private final int numExperts;
    private final float capacityFactor;

    public ExpertChoiceRouter(int dModel, int numExperts, float capacityFactor, Rng rng) {
        this.numExperts = Require.positive("ExpertChoiceRouter", "experts", numExperts);
        this.capacityFactor = Require.positive("ExpertChoiceRouter", "capacityFactor", capacityFactor);
        this.gate = registerModule("gate", new Linear(Require.positive("ExpertChoiceRouter", "dModel", dModel), numExperts, false, rng));
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        Require.input("ExpertChoiceRouter", tokens, gate.inFeatures(), 2);
        int t = tokens.size(0);
        int capacity = Math.min(t, (int) Math.ceil(capacityFactor * t / numExperts));
        Tensor logits = gate.forward(tokens);
        Tensor probabilities = logits.softmax();
        Indexing.TopK perExpert = Indexing.topK(probabilities.transpose(0, 1), capacity);
        int[] token = new int[numExperts * capacity], expert = new int[numExperts * capacity];
        for (int e = 0; e < numExperts; e++) {
            for (int j = 0; j < capacity; j++) {
                token[e * capacity + j] = perExpert.index(e, j);
                expert[e * capacity + j] = e;
            }
        }
        Tensor weights = perExpert.values().reshape(numExperts * capacity);
        Assignments assignments = new Assignments(t, numExperts, token, expert);
        Map<String, Tensor> aux = new LinkedHashMap<>();
        aux.put(AuxLosses.Z_LOSS, AuxLosses.zLoss(logits));
        return new Routing(assignments, weights, logits, probabilities, aux);
    }

    @Override
    public int numExperts() {
        return numExperts;
    }

    @Override
    public String describe() {
        return "expert choice, capacity " + capacityFactor;
    }
}
