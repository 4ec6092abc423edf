package org.moelab.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/**
 * Stochastic gradient descent, optionally with heavy-ball momentum as PyTorch defines it (no dampening):
 * buf = μ·buf + g; p -= lr·buf. Without momentum: p -= lr·g.
 */
public final class SGD implements Optimizer {
    private static final String OWNER = "SGD";
    private final NamedParameters params;
    private final float momentum;
    private final float[][] buffers;
    private float lr;

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
        this.params = params;
        this.lr = Require.nonNegative(OWNER, "lr", lr);
        this.momentum = Require.inRange(OWNER, "momentum", momentum, 0f, 1f);
        this.buffers = momentum > 0 ? params.zeroBuffers() : null;
    }

    @Override
    public void step() {
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
    public void zeroGrad() {
        params.zeroGrad();
    }

    @Override
    public float learningRate() {
        return lr;
    }

    @Override
    public void learningRate(float lr) {
        this.lr = Require.nonNegative(OWNER, "lr", lr);
    }

    @Override
    public LinkedHashMap<String, float[]> state() {
        return snapshot().map();
    }

    private OptimizerState snapshot() {
        OptimizerState s = new OptimizerState().put("lr", new float[] {lr});
        return buffers == null ? s : s.putBuffers("momentum_buffer", params, buffers);
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        snapshot().validate(OWNER, state);
        float newLr = state.get("lr")[0];
        Require.nonNegative(OWNER, "lr in the state", newLr);
        if (buffers != null) OptimizerState.copyBuffers("momentum_buffer", params, buffers, state);
        lr = newLr;
    }
}
