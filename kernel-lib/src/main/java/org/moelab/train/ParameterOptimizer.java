package org.moelab.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.Require;

/**
 * The one optimizer base class: named trainable parameters, a learning rate the schedule may change, zeroing
 * gradients, and the state dictionary (the learning rate plus each subclass's per-parameter buffers, validated
 * against this optimizer's parameters on load). Subclasses write only the update rule and their buffers.
 */
public abstract class ParameterOptimizer implements Optimizer {
    final String owner;
    final NamedParameters params;
    private float lr;

    ParameterOptimizer(String owner, NamedParameters params, float lr) {
        this.owner = owner;
        this.params = params;
        this.lr = Require.nonNegative(owner, "lr", lr);
    }

    /** The learning rate and every per-parameter buffer, as {@link #state()} writes them. */
    abstract OptimizerState snapshot();

    /** Copies the subclass's buffers from a state already validated against {@link #snapshot()}. */
    abstract void loadBuffers(Map<String, float[]> state);

    /** A state holding the learning rate, for subclasses to add their buffers to. */
    final OptimizerState withLearningRate() {
        return new OptimizerState().put("lr", new float[] {lr});
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
        this.lr = Require.nonNegative(owner, "lr", lr);
    }

    @Override
    public LinkedHashMap<String, float[]> state() {
        return snapshot().map();
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        snapshot().validate(owner, state);
        float newLr = state.get("lr")[0];
        Require.nonNegative(owner, "lr in the state", newLr);
        loadBuffers(state);
        lr = newLr;
    }
}
