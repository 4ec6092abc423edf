package org.moelab.train;

import java.util.Map;
import org.moelab.nn.Require;

/**
 * The Adam update shared by {@link Adam} (weight decay added to the gradient, L2) and {@link AdamW} (decoupled
 * decay p -= lr·wd·p). Per parameter, as in PyTorch: t += 1; m = β₁m + (1-β₁)g; v = β₂v + (1-β₂)g²;
 * p -= lr/(1-β₁ᵗ) · m / (√v/√(1-β₂ᵗ) + eps). Step counts are per parameter, so one that skipped steps (no gradient)
 * keeps a correct bias correction.
 */
public abstract class AdamBase extends ParameterOptimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final boolean[] decays;
    private final float[][] expAvg, expAvgSq;
    private final int[] steps;

    AdamBase(String owner, NamedParameters params, float lr, float beta1, float beta2, float eps, float weightDecay,
             boolean decoupled, WeightDecayPolicy policy) {
        super(owner, params, lr);
        this.beta1 = Require.inRange(owner, "beta1", beta1, 0f, 1f);
        this.beta2 = Require.inRange(owner, "beta2", beta2, 0f, 1f);
        this.eps = Require.positive(owner, "eps", eps);
        this.weightDecay = Require.nonNegative(owner, "weightDecay", weightDecay);
        this.decoupled = decoupled;
        Require.notNull(owner, "weight decay policy", policy);
        this.decays = new boolean[params.size()];
        for (int i = 0; i < decays.length; i++) decays[i] = weightDecay > 0 && policy.decays(params.names[i], params.tensors[i]);
        this.expAvg = params.zeroBuffers();
        this.expAvgSq = params.zeroBuffers();
        this.steps = new int[params.size()];
    }

    @Override
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.grad(i);
            if (g != null) update(i, params.tensors[i].data(), g);
        }
    }

    private void update(int i, float[] p, float[] g) {
        int t = ++steps[i];
        float lr = learningRate();
        double bc1 = 1 - StrictMath.pow(beta1, t), bc2 = 1 - StrictMath.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float l2 = decays[i] && !decoupled ? weightDecay : 0f;
        float shrink = decays[i] && decoupled ? 1f - lr * weightDecay : 1f;
        float[] m = expAvg[i], v = expAvgSq[i];
        float b1 = beta1, b2 = beta2, c1 = 1 - beta1, c2 = 1 - beta2;
        for (int j = 0; j < p.length; j++) {
            float gj = g[j] + l2 * p[j];
            m[j] = b1 * m[j] + c1 * gj;
            v[j] = b2 * v[j] + c2 * gj * gj;
            p[j] = p[j] * shrink - stepSize * m[j] / ((float) Math.sqrt(v[j]) * invSqrtBc2 + eps);
        }
    }

    /** Whether weight decay applies to the named parameter (false for all when weightDecay is 0). */
    public boolean decays(String name) {
        for (int i = 0; i < decays.length; i++) if (params.names[i].equals(name)) return decays[i];
        throw new IllegalArgumentException(owner + ": no parameter named '" + name + "'");
    }

    @Override
    OptimizerState snapshot() {
        return withLearningRate().putSteps(params, steps).putBuffers("exp_avg", params, expAvg).putBuffers("exp_avg_sq", params, expAvgSq);
    }

    @Override
    void loadBuffers(Map<String, float[]> state) {
        OptimizerState.copySteps(params, steps, state);
        OptimizerState.copyBuffers("exp_avg", params, expAvg, state);
        OptimizerState.copyBuffers("exp_avg_sq", params, expAvgSq, state);
    }
}
