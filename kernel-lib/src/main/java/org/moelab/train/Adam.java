package org.moelab.train;

import java.util.Map;
import org.moelab.nn.Module;
import org.moelab.tensor.Tensor;

/**
 * Adam (Kingma & Ba) with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0. Weight decay
 * here is L2 (added to the gradient, so it is scaled by the adaptive denominator) and applies to every parameter;
 * for decoupled decay use {@link AdamW}.
 */
public final class Adam extends AdamBase {
    private Adam(Builder b) {
        super("Adam", b.params, b.lr, b.beta1, b.beta2, b.eps, b.weightDecay, false, WeightDecayPolicy.ALL);
    }

    public static Builder builder(Module module) {
        return new Builder(NamedParameters.of("Adam", module));
    }

    public static Builder builder(Map<String, Tensor> parameters) {
        return new Builder(NamedParameters.of("Adam", parameters));
    }

    /** Hyper-parameters; validated by {@link #build()}. */
    public static final class Builder {
        private final NamedParameters params;
        private float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weightDecay = 0f;

        private Builder(NamedParameters params) {
            this.params = params;
        }

        public Builder learningRate(float v) { lr = v; return this; }

        public Builder betas(float b1, float b2) { beta1 = b1; beta2 = b2; return this; }

        public Builder eps(float v) { eps = v; return this; }

        /** L2 penalty coefficient added to every gradient. */
        public Builder weightDecay(float v) { weightDecay = v; return this; }

        public Adam build() {
            return new Adam(this);
        }
    }
}
