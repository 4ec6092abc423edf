package org.moelab.train;

import java.util.Map;
import org.moelab.nn.Module;
import org.moelab.tensor.Tensor;

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, p ← p·(1 − lr·wd) before the Adam step, as in
 * PyTorch. Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, applied per
 * {@link WeightDecayPolicy#MATRICES_ONLY} (no decay for biases and norm gains) unless another policy is given.
 */
public final class AdamW extends AdamBase {
    private AdamW(Builder b) {
        super("AdamW", b.params, b.lr, b.beta1, b.beta2, b.eps, b.weightDecay, true, b.policy);
    }

    public static Builder builder(Module module) {
        return new Builder(NamedParameters.of("AdamW", module));
    }

    public static Builder builder(Map<String, Tensor> parameters) {
        return new Builder(NamedParameters.of("AdamW", parameters));
    }

    /** Hyper-parameters; validated by {@link #build()}. */
    public static final class Builder {
        private final NamedParameters params;
        private float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weightDecay = 0.01f;
        private WeightDecayPolicy policy = WeightDecayPolicy.MATRICES_ONLY;

        private Builder(NamedParameters params) {
            this.params = params;
        }

        public Builder learningRate(float v) { lr = v; return this; }

        public Builder betas(float b1, float b2) { beta1 = b1; beta2 = b2; return this; }

        public Builder eps(float v) { eps = v; return this; }

        public Builder weightDecay(float v) { weightDecay = v; return this; }

        /** Which parameters decay; {@link WeightDecayPolicy#MATRICES_ONLY} by default. */
        public Builder decayPolicy(WeightDecayPolicy v) { policy = v; return this; }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
