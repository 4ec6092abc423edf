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
 * Token-choice top-k routing with Mixtral semantics: logits = x·W_r (+ b_r); each token picks its k largest
 * logits and weighs them by the softmax over those k (equal to full softmax then renormalise).
 *
 * <p>Options: multiplicative input jitter in training (Switch), a capacity factor (tokens over an expert's
 * capacity ceil(cf·T·k/E) are dropped from it, first choices served first, and pass through the residual), and
 * a frozen gate: SMoE-Dropout's random router, N(0, 0.02) with bias, whose weights never change but which is not
 * detached, so the gradient still reaches its input through the combine weights. k is fixed at construction; a
 * pass may ask for another k through {@link RoutingContext#topK()} (k schedules, evaluating a trained model at
 * another k), so the owner of a k schedule states k per pass instead of mutating every router.
 */
public final class TopKRouter extends Module implements Router {
    private final Linear gate;
    private final int numExperts;
    private final boolean frozen;
    private final float jitter;
    private final float capacityFactor;
    private final int k;

    private TopKRouter(int dModel, int numExperts, int k, boolean bias, boolean frozen, float jitter, float capacityFactor, Rng rng) {
        Require.positive("TopKRouter", "dModel", dModel);
        this.numExperts = Require.positive("TopKRouter", "experts", numExperts);
        this.jitter = Require.inRange("TopKRouter", "jitter", jitter, 0f, 1f);
        this.capacityFactor = Require.nonNegative("TopKRouter", "capacityFactor (0 = unlimited)", capacityFactor);
        this.frozen = frozen;
        this.gate = registerModule("gate", new Linear(dModel, numExperts, bias, rng));
        if (frozen) {
            // SMoE-Dropout (custom_gate.py / train.py weights_init): N(0, 0.02) weights, zero bias, never trained.
            float[] w = gate.weight().data();
            for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextGaussian() * 0.02);
            if (gate.bias() != null) java.util.Arrays.fill(gate.bias().data(), 0f);
            gate.weight().requiresGrad(false);
            if (gate.bias() != null) gate.bias().requiresGrad(false);
        }
        this.k = checkedK(k);
    }

    /** A learned router (trainable linear gate without bias, as Switch/Mixtral). */
    public static TopKRouter learned(int dModel, int numExperts, int k, Rng rng) {
        return new TopKRouter(dModel, numExperts, k, false, false, 0f, 0f, rng);
    }

    /** A learned router with jitter noise and a capacity factor (0 = unlimited). */
    public static TopKRouter learned(int dModel, int numExperts, int k, float jitter, float capacityFactor, Rng rng) {
        return new TopKRouter(dModel, numExperts, k, false, false, jitter, capacityFactor, rng);
    }

    /** SMoE-Dropout's frozen random router: linear with bias, N(0, 0.02), frozen but not detached. */
    public static TopKRouter frozenRandom(int dModel, int numExperts, int k, Rng rng) {
        return new TopKRouter(dModel, numExperts, k, true, true, 0f, 0f, rng);
    }

    public int k() {
        return k;
    }

    private int checkedK(int k) {
        if (k < 1 || k > numExperts) throw new IllegalArgumentException("TopKRouter: k must be in [1, " + numExperts + "], got " + k);
        return k;
    }

    /** The k of a pass: the context's when it sets one, else this router's. */
    public int kFor(RoutingContext context) {
        return context.topK() > 0 ? checkedK(context.topK()) : k;
    }

    public boolean isFrozen() {
        return frozen;
    }

    public Linear gate() {
        return gate;
    }

    @Override
    public int numExperts() {
        return numExperts;
    }

    @Override
    public String describe() {
        return "top-" + k + (frozen ? " frozen random" : " learned") + (capacityFactor > 0 ? ", capacity " + capacityFactor : "");
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        Require.input("TopKRouter", tokens, gate.inFeatures(), 2);
        int t = tokens.size(0), k = kFor(context);
        Tensor input = jitter > 0 && context.training() ? tokens.mul(jitterNoise(context.rng(), t, tokens.size(1))) : tokens;
        Tensor logits = gate.forward(input);
        Indexing.TopK top = Indexing.topK(logits, k);
        Tensor weights = top.values().softmax().reshape(t * k);
        int[] token = new int[t * k], expert = new int[t * k];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < k; j++) {
                token[i * k + j] = i;
                expert[i * k + j] = top.index(i, j);
            }
        }
        Assignments assignments = new Assignments(t, numExperts, token, expert);
        if (capacityFactor > 0) {
            int[] kept = withinCapacity(token, expert, t, k);
            if (kept.length < token.length) {
                assignments = new Assignments(t, numExperts, pick(token, kept), pick(expert, kept));
                weights = weights.reshape(-1, 1).gatherRows(kept).reshape(kept.length);
            }
        }
        Tensor probabilities = logits.softmax();
        Map<String, Tensor> aux = new LinkedHashMap<>();
        aux.put(AuxLosses.LOAD_BALANCE, AuxLosses.loadBalance(probabilities, assignments));
        aux.put(AuxLosses.Z_LOSS, AuxLosses.zLoss(logits));
        return new Routing(assignments, weights, logits, probabilities, aux);
    }

    private Tensor jitterNoise(Rng rng, int rows, int cols) {
        return Tensor.uniform(rng, 1 - jitter, 1 + jitter, rows, cols);
    }

    /** Pair indices kept under the capacity limit: all first choices in token order, then second choices... */
    private int[] withinCapacity(int[] token, int[] expert, int t, int k) {
        int capacity = (int) Math.ceil(capacityFactor * t * k / numExperts);
        int[] load = new int[numExperts];
        boolean[] keep = new boolean[token.length];
        int kept = 0;
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < t; i++) {
                int pair = i * k + j;
                if (load[expert[pair]] < capacity) {
                    load[expert[pair]]++;
                    keep[pair] = true;
                    kept++;
                }
            }
        }
        int[] idx = new int[kept];
        for (int p = 0, n = 0; p < keep.length; p++) if (keep[p]) idx[n++] = p;
        return idx;
    }

    private static int[] pick(int[] values, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) out[i] = values[positions[i]];
        return out;
    }
}
