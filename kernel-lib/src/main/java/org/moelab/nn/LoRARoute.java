package org.moelab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Tensor;

/**
 * Which LoRA experts each of N tokens uses in a {@link LoRAMixerLinear}, and with what weight w_{t,e}:
 * <ul>
 *   <li>{@link #hard}: one expert per token with weight 1 (LoRA-Mixer's stage 1, routing by task label; oracle);</li>
 *   <li>{@link #soft}: every expert with weight p_{t,e} (stage 2's all-expert soft fusion; differentiable in p);</li>
 *   <li>{@link #topK}: the k largest p_{t,e}, optionally renormalised to sum 1 over the kept experts (inference;
 *       differentiable in the kept p);</li>
 *   <li>{@link #pairs}: explicit (token, expert, weight) slots, e.g. an {@code org.moelab.moe.Routing}'s
 *       assignments and combine weights (nn does not import moe, so the caller unpacks them).</li>
 * </ul>
 * Per expert it stores the tokens routed there (null: all tokens) and their weights [n_e, 1] (null: all 1), so the
 * mixer computes A_e·x only for those tokens.
 */
public final class LoRARoute {
    private final int numTokens, numExperts;
    private final int[][] tokens;      // per expert: routed token indices, or null for all tokens
    private final Tensor[] weights;    // per expert: [n_e, 1] weights, or null for weight 1
    private final Tensor dense;        // soft routes: the [N, E] weights whose columns are weights[e]; else null

    private LoRARoute(int numTokens, int numExperts, int[][] tokens, Tensor[] weights) {
        this(numTokens, numExperts, tokens, weights, null);
    }

    private LoRARoute(int numTokens, int numExperts, int[][] tokens, Tensor[] weights, Tensor dense) {
        this.numTokens = numTokens;
        this.numExperts = numExperts;
        this.tokens = tokens;
        this.weights = weights;
        this.dense = dense;
    }

    /** Token t uses only expert {@code expertOfToken[t]} with weight 1. */
    public static LoRARoute hard(int[] expertOfToken, int numExperts) {
        Require.notNull("LoRARoute.hard", "expertOfToken", expertOfToken);
        Require.positive("LoRARoute.hard", "numExperts", numExperts);
        List<List<Integer>> perExpert = new ArrayList<>();
        for (int e = 0; e < numExperts; e++) perExpert.add(new ArrayList<>());
        for (int t = 0; t < expertOfToken.length; t++) {
            int e = expertOfToken[t];
            if (e < 0 || e >= numExperts) {
                throw new IllegalArgumentException("LoRARoute.hard: token " + t + " has expert " + e + ", must be in [0, " + numExperts + ")");
            }
            perExpert.get(e).add(t);
        }
        int[][] tokens = new int[numExperts][];
        for (int e = 0; e < numExperts; e++) tokens[e] = perExpert.get(e).stream().mapToInt(Integer::intValue).toArray();
        return new LoRARoute(expertOfToken.length, numExperts, tokens, new Tensor[numExperts]);
    }

    /** Every token uses every expert, weighted by {@code probabilities} [N, E] (e.g. a router's softmax). */
    public static LoRARoute soft(Tensor probabilities) {
        requireMatrix("LoRARoute.soft", probabilities);
        int experts = probabilities.size(1);
        Tensor[] weights = new Tensor[experts];
        for (int e = 0; e < experts; e++) weights[e] = probabilities.slice(1, e, e + 1);
        return new LoRARoute(probabilities.size(0), experts, new int[experts][], weights, probabilities);
    }

    /**
     * Each token uses its k most probable experts (ties: lower index first). Weights are p_{t,e}, or with
     * {@code renormalise} p_{t,e} / Σ_{kept e'} p_{t,e'}.
     */
    public static LoRARoute topK(Tensor probabilities, int k, boolean renormalise) {
        requireMatrix("LoRARoute.topK", probabilities);
        int n = probabilities.size(0), experts = probabilities.size(1);
        if (k < 1 || k > experts) throw new IllegalArgumentException("LoRARoute.topK: k must be in [1, " + experts + "], got " + k);
        float[] keep = topKMask(probabilities, k);
        List<List<Integer>> perExpert = new ArrayList<>();
        for (int e = 0; e < experts; e++) perExpert.add(new ArrayList<>());
        for (int t = 0; t < n; t++) for (int e = 0; e < experts; e++) if (keep[t * experts + e] == 1) perExpert.get(e).add(t);
        Tensor mask = Tensor.of(keep, n, experts);
        Tensor kept = probabilities.mul(mask);
        Tensor dense = renormalise ? kept.div(kept.sum(1, true)) : kept;
        int[][] tokens = new int[experts][];
        Tensor[] weights = new Tensor[experts];
        for (int e = 0; e < experts; e++) {
            tokens[e] = perExpert.get(e).stream().mapToInt(Integer::intValue).toArray();
            weights[e] = tokens[e].length == 0 ? null : dense.gatherRows(tokens[e]).slice(1, e, e + 1);
        }
        return new LoRARoute(n, experts, tokens, weights);
    }

    /** 1 where an expert is among a token's k most probable ({@link Indexing#topK}: ties to the lower index), else 0. */
    public static float[] topKMask(Tensor probabilities, int k) {
        int n = probabilities.size(0), experts = probabilities.size(1);
        Indexing.TopK top = Indexing.topK(probabilities.detach(), k);
        float[] keep = new float[n * experts];
        for (int t = 0; t < n; t++) for (int j = 0; j < k; j++) keep[t * experts + top.index(t, j)] = 1;
        return keep;
    }

    /**
     * Slot i sends token {@code token[i]} to expert {@code expert[i]} with weight {@code weightPerSlot[i]}
     * ([S] or [S, 1]; null: all 1). Differentiable in the weights; a token may appear in several slots or none.
     */
    public static LoRARoute pairs(int numTokens, int numExperts, int[] token, int[] expert, Tensor weightPerSlot) {
        String owner = "LoRARoute.pairs";
        Require.positive(owner, "numExperts", numExperts);
        Require.notNull(owner, "token", token);
        Require.notNull(owner, "expert", expert);
        if (numTokens < 0) throw new IllegalArgumentException(owner + ": numTokens must be >= 0, got " + numTokens);
        if (token.length != expert.length || (weightPerSlot != null && weightPerSlot.numel() != token.length)) {
            throw new IllegalArgumentException(owner + ": token (" + token.length + "), expert (" + expert.length + ") and weightPerSlot ("
                    + (weightPerSlot == null ? "null" : Arrays.toString(weightPerSlot.shape())) + ") must describe the same number of slots");
        }
        List<List<Integer>> tokenLists = new ArrayList<>(), slotLists = new ArrayList<>();
        for (int e = 0; e < numExperts; e++) {
            tokenLists.add(new ArrayList<>());
            slotLists.add(new ArrayList<>());
        }
        for (int i = 0; i < token.length; i++) {
            if (token[i] < 0 || token[i] >= numTokens) throw new IllegalArgumentException(owner + ": slot " + i + " has token " + token[i] + ", must be in [0, " + numTokens + ")");
            if (expert[i] < 0 || expert[i] >= numExperts) throw new IllegalArgumentException(owner + ": slot " + i + " has expert " + expert[i] + ", must be in [0, " + numExperts + ")");
            tokenLists.get(expert[i]).add(token[i]);
            slotLists.get(expert[i]).add(i);
        }
        Tensor perSlot = weightPerSlot == null ? null : weightPerSlot.reshape(-1, 1);
        int[][] tokens = new int[numExperts][];
        Tensor[] weights = new Tensor[numExperts];
        for (int e = 0; e < numExperts; e++) {
            tokens[e] = tokenLists.get(e).stream().mapToInt(Integer::intValue).toArray();
            int[] slots = slotLists.get(e).stream().mapToInt(Integer::intValue).toArray();
            weights[e] = perSlot == null || slots.length == 0 ? null : perSlot.gatherRows(slots);
        }
        return new LoRARoute(numTokens, numExperts, tokens, weights);
    }

    private static void requireMatrix(String owner, Tensor probabilities) {
        Require.notNull(owner, "probabilities", probabilities);
        if (probabilities.rank() != 2 || probabilities.size(1) < 1) {
            throw new IllegalArgumentException(owner + ": probabilities must be [tokens, experts], got " + Arrays.toString(probabilities.shape()));
        }
    }

    public int numTokens() {
        return numTokens;
    }

    public int numExperts() {
        return numExperts;
    }

    /** The tokens routed to expert e, or null when every token is. */
    int[] tokensOf(int expert) {
        return tokens[expert];
    }

    /** Every token to every expert with these [N, E] weights (a {@link #soft} route), or null. */
    Tensor denseWeights() {
        return dense;
    }

    /** The weights [n_e, 1] of expert e's tokens, or null when they are all 1. */
    Tensor weightsOf(int expert) {
        return weights[expert];
    }
}
