package org.moelab.moe;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.Require;
import org.moelab.tensor.Indexing;
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

    // ------------------------------------------------------------ routes without a learned router's extras
    // (oracles, hash and phase-A routing, LoRA-Mixer's routes): no logits and no aux losses.

    /** Token t to expert {@code expertOfToken[t]} only, with weight 1 (routing by a label: an oracle, LoRA-Mixer's stage 1). */
    public static Routing hard(int[] expertOfToken, int numExperts) {
        Require.notNull("Routing.hard", "expertOfToken", expertOfToken);
        Require.positive("Routing.hard", "numExperts", numExperts);
        int n = expertOfToken.length;
        int[] token = new int[n];
        for (int t = 0; t < n; t++) {
            if (expertOfToken[t] < 0 || expertOfToken[t] >= numExperts) {
                throw new IllegalArgumentException("Routing.hard: token " + t + " has expert " + expertOfToken[t] + ", must be in [0, " + numExperts + ")");
            }
            token[t] = t;
        }
        return new Routing(new Assignments(n, numExperts, token, expertOfToken.clone()), Tensor.ones(n), null, null, Map.of());
    }

    /**
     * Every token to every expert with the weights [N, E] (e.g. a router's softmax: LoRA-Mixer's soft fusion),
     * slots in token-major order; differentiable in the weights. The [N, E] matrix itself is kept as the routing's
     * probabilities (the weight distribution over experts per token), so a bank that mixes every expert at once
     * reads it without going through the per-slot view.
     */
    public static Routing dense(Tensor weights) {
        requireMatrix("Routing.dense", weights);
        int n = weights.size(0), experts = weights.size(1);
        int[] token = new int[n * experts], expert = new int[n * experts];
        for (int i = 0; i < token.length; i++) {
            token[i] = i / experts;
            expert[i] = i % experts;
        }
        return new Routing(new Assignments(n, experts, token, expert), weights.reshape(n * experts), null, weights, Map.of());
    }

    /**
     * Each token to its k most probable experts ({@link Indexing#topK}: ties to the lower index) with the weights of
     * {@link #topKWeights}; differentiable in the kept probabilities.
     */
    public static Routing topK(Tensor probabilities, int k, boolean renormalise) {
        requireTopK(probabilities, k);
        int n = probabilities.size(0), experts = probabilities.size(1);
        Indexing.TopK top = Indexing.topK(probabilities.detach(), k);
        Tensor kept = kept(probabilities, top, renormalise);
        int[] token = new int[n * k], expert = new int[n * k], flat = new int[n * k];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < k; j++) {
                int i = t * k + j;
                token[i] = t;
                expert[i] = top.index(t, j);
                flat[i] = t * experts + expert[i];
            }
        }
        Tensor weights = kept.reshape(n * experts, 1).gatherRows(flat).reshape(n * k);
        return new Routing(new Assignments(n, experts, token, expert), weights, null, null, Map.of());
    }

    /**
     * The dense [N, E] weights of a top-k route: p_{t,e} for the k most probable experts of each token, 0 elsewhere,
     * or with {@code renormalise} p_{t,e} / Σ_{kept e'} p_{t,e'} (also the forward value of a straight-through route).
     */
    public static Tensor topKWeights(Tensor probabilities, int k, boolean renormalise) {
        requireTopK(probabilities, k);
        return kept(probabilities, Indexing.topK(probabilities.detach(), k), renormalise);
    }

    private static Tensor kept(Tensor probabilities, Indexing.TopK top, boolean renormalise) {
        int n = probabilities.size(0), experts = probabilities.size(1);
        float[] keep = new float[n * experts];
        for (int t = 0; t < n; t++) for (int j = 0; j < top.k(); j++) keep[t * experts + top.index(t, j)] = 1;
        Tensor kept = probabilities.mul(Tensor.of(keep, n, experts));
        return renormalise ? kept.div(kept.sum(1, true)) : kept;
    }

    private static void requireTopK(Tensor probabilities, int k) {
        requireMatrix("Routing.topK", probabilities);
        int experts = probabilities.size(1);
        if (k < 1 || k > experts) throw new IllegalArgumentException("Routing.topK: k must be in [1, " + experts + "], got " + k);
    }

    /**
     * Explicit slots: slot i sends token {@code token[i]} to expert {@code expert[i]} with weight
     * {@code weightPerSlot[i]} ([S] or [S, 1]; null: all 1). A token may appear in several slots or none.
     */
    public static Routing slots(int numTokens, int numExperts, int[] token, int[] expert, Tensor weightPerSlot) {
        String owner = "Routing.slots";
        Require.notNull(owner, "token", token);
        Require.notNull(owner, "expert", expert);
        if (token.length != expert.length || (weightPerSlot != null && weightPerSlot.numel() != token.length)) {
            throw new IllegalArgumentException(owner + ": token (" + token.length + "), expert (" + expert.length + ") and weightPerSlot ("
                    + (weightPerSlot == null ? "null" : Arrays.toString(weightPerSlot.shape())) + ") must describe the same number of slots");
        }
        Tensor w = weightPerSlot == null ? Tensor.ones(token.length) : weightPerSlot.reshape(token.length);
        return new Routing(new Assignments(numTokens, numExperts, token.clone(), expert.clone()), w, null, null, Map.of());
    }

    private static void requireMatrix(String owner, Tensor probabilities) {
        Require.notNull(owner, "probabilities", probabilities);
        if (probabilities.rank() != 2 || probabilities.size(1) < 1) {
            throw new IllegalArgumentException(owner + ": probabilities must be [tokens, experts], got " + Arrays.toString(probabilities.shape()));
        }
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
