package org.moelab.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Updates a fixed set of named parameters from their gradients. */
public interface Optimizer {
    /** One update from the current gradients (parameters without a gradient are left alone). */
    void step();

    /** Drops the gradients of every parameter this optimizer updates. */
    void zeroGrad();

    float learningRate();

    /** Sets the learning rate used by the next {@link #step()} (schedules call this every step). */
    void learningRate(float lr);

    /** A copy of the optimizer's state (moments, step counts, learning rate) keyed by name, for checkpoints. */
    LinkedHashMap<String, float[]> state();

    /** Restores {@link #state()}; validates everything first and changes nothing when it fails. */
    void loadState(Map<String, float[]> state);
}
