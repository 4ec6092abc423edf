package org.moelab.nn;

import org.moelab.tensor.Tensor;

/** A module that maps one tensor to another: the shape of most layers, and what blocks and models compose. */
public abstract class Layer extends Module {
    public abstract Tensor forward(Tensor x);
}
