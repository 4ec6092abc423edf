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
 * Switch Transformer's top-1 router (Fedus et al. 2021): p = softmax(x·W_r), each token goes to argmax p with
 * weight p_e (not renormalised, so the router learns through the combine weight, unlike top-1 of
 * {@link TopKRouter} whose renormalised weight is always 1). Tokens beyond an expert's capacity
 * ceil(cf·T/E), in token order, are dropped and pass through the residual. Aux: load balance and z-loss.
 */
public final class SwitchRouter extends Module implements Router {
    private final Linear gate;
    private final int numExperts;
    private final float capacityFactor;

    public SwitchRouter(int dModel, int numExperts, float capacityFactor, Rng rng) {
        Require.positive("SwitchRouter", "dModel", dModel);
        this.numExperts = Require.positive("SwitchRouter", "experts", numExperts);
        this.capacityFactor = Require.nonNegative("SwitchRouter", "capacityFactor (0 = unlimited)", capacityFactor);
        this.gate = registerModule("gate", new Linear(dModel, numExperts, false, rng));
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        Require.input("SwitchRouter", tokens, gate.inFeatures(), 2);
        int t = tokens.size(0);
        Tensor logits = gate.forward(tokens);
        Tensor p = logits.softmax();
        float[] pv = p.data();
        // Capacity applies in training only; evaluation serves every token (as fairseq's eval capacity = E).
        int capacity = capacityFactor > 0 && context.training() ? (int) Math.ceil(capacityFactor * t / numExperts) : Integer.MAX_VALUE;
        int[] load = new int[numExperts];
        int[] token = new int[t], expert = new int[t], flat = new int[t];
        int n = 0;
        Indexing.TopK top1 = Indexing.topK(p.detach(), 1);
        for (int i = 0; i < t; i++) {
            int best = top1.index(i, 0);
            if (load[best] >= capacity) continue;
            load[best]++;
            token[n] = i;
            expert[n] = best;
            flat[n++] = i * numExperts + best;
        }
        Assignments a = new Assignments(t, numExperts, java.util.Arrays.copyOf(token, n), java.util.Arrays.copyOf(expert, n));
        Tensor w = p.reshape(-1, 1).gatherRows(java.util.Arrays.copyOf(flat, n)).reshape(n);
        Map<String, Tensor> aux = new LinkedHashMap<>();
        aux.put(AuxLosses.LOAD_BALANCE, AuxLosses.loadBalance(p, a));
        aux.put(AuxLosses.Z_LOSS, AuxLosses.zLoss(logits));
        return new Routing(a, w, logits, p, aux);
    }

    @Override
    public int numExperts() {
        return numExperts;
    }

    @Override
    public String describe() {
        return "Switch top-1" + (capacityFactor > 0 ? ", capacity " + capacityFactor : "");
    }
}
