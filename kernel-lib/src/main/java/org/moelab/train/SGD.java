package org.moelab.train;

import java.util.Map;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/**
 * Stochastic gradient descent, optionally with heavy-ball momentum as PyTorch defines it (no dampening):
 * buf = μ·buf + g; p -= lr·buf. Without momentum: p -= lr·g.
 */
public final class SGD extends ParameterOptimizer {
    private static final String OWNER = "SGD";
    private final float momentum;
    private final float[][] buffers;

    /** SGD over the module's trainable parameters (frozen ones, requiresGrad false, are left out as Adam does). */
    public SGD(Module module, float lr) {
        this(NamedParameters.of(OWNER, module), lr, 0f);
    }

    public SGD(Module module, float lr, float momentum) {
        this(NamedParameters.of(OWNER, module), lr, momentum);
    }

    public SGD(Map<String, Tensor> parameters, float lr) {
        this(NamedParameters.of(OWNER, parameters), lr, 0f);
    }

    public SGD(Map<String, Tensor> parameters, float lr, float momentum) {
        this(NamedParameters.of(OWNER, parameters), lr, momentum);
    }

    private SGD(NamedParameters params, float lr, float momentum) {
        super(OWNER, params, lr);
        this.momentum = Require.inRange(OWNER, "momentum", momentum, 0f, 1f);
        this.buffers = momentum > 0 ? params.zeroBuffers() : null;
    }

    @Override
    public void step() {
        float lr = learningRate();
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.grad(i);
            if (g == null) continue;
            float[] p = params.tensors[i].data();
            if (buffers == null) {
                for (int j = 0; j < p.length; j++) p[j] -= lr * g[j];
            } else {
                float[] buf = buffers[i];
                for (int j = 0; j < p.length; j++) {
                    buf[j] = momentum * buf[j] + g[j];
                    p[j] -= lr * buf[j];
                }
            }
        }
    }

    @Override
    OptimizerState snapshot() {
        OptimizerState s = withLearningRate();
        return buffers == null ? s : s.putBuffers("momentum_buffer", params, buffers);
    }

    @Override
    void loadBuffers(Map<String, float[]> state) {
        if (buffers != null) OptimizerState.copyBuffers("momentum_buffer", params, buffers, state);
    }
}
