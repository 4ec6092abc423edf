package org.moelab.moe;

import java.util.List;
import org.moelab.tensor.Tensor;

/**
 * The auxiliary router losses, written once. Each router reports them unweighted per layer; a model reduces
 * them once over all layers with its coefficients ({@link #total}).
 */
public final class AuxLosses {
    public static final String LOAD_BALANCE = "loadBalance";
    public static final String Z_LOSS = "zLoss";

    private AuxLosses() {}

    /**
     * Switch Transformer's load-balancing loss, E · Σ_e f_e · P_e: f_e is the share of routed slots that went to
     * expert e (a constant), P_e the mean router probability of e (differentiable). Equals 1 at perfect balance.
     */
    public static Tensor loadBalance(Tensor probabilities, Assignments assignments) {
        int e = assignments.numExperts();
        int[] counts = assignments.countsPerExpert();
        float[] f = new float[e];
        float total = Math.max(1, assignments.size());
        for (int i = 0; i < e; i++) f[i] = counts[i] / total;
        return probabilities.mean(0, false).mul(Tensor.of(f, e)).sum().mul((float) e);
    }

    /** ST-MoE's router z-loss, mean_t (logsumexp_e logits[t, e])²: keeps logits small and the softmax stable. */
    public static Tensor zLoss(Tensor logits) {
        Tensor logSumExp = logits.sub(logits.logSoftmax()).slice(1, 0, 1);
        return logSumExp.square().mean();
    }

    /** Σ over layers of (balanceWeight · loadBalance + zWeight · zLoss), counting only the terms present. */
    public static Tensor total(List<Routing> routings, float balanceWeight, float zWeight) {
        Tensor sum = Tensor.scalar(0f);
        for (Routing r : routings) {
            Tensor lb = r.auxLosses().get(LOAD_BALANCE);
            Tensor z = r.auxLosses().get(Z_LOSS);
            if (lb != null && balanceWeight != 0) sum = sum.add(lb.mul(balanceWeight));
            if (z != null && zWeight != 0) sum = sum.add(z.mul(zWeight));
        }
        return sum;
    }
}
