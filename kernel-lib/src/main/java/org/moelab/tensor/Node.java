package org.moelab.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded op on the tape: the inputs it read and how to push the output's gradient back to them.
 * Nodes are created only when grad mode is on and some input requires a gradient.
 */
abstract class Node {
    private static final AtomicLong COUNTER = new AtomicLong();

    final String op;
    final Tensor[] inputs;
    /** Creation order: sorting nodes by it descending is a valid reverse topological order (the tape). */
    final long sequence;
    /** The tensor this op produced; set when the node is attached to it. */
    Tensor output;

    Node(String op, Tensor... inputs) {
        this.op = op;
        this.inputs = inputs;
        this.sequence = COUNTER.getAndIncrement();
    }

    /** Adds this op's contribution to the gradients of its inputs, given the gradient of its output. */
    abstract void backward(float[] gradOutput);

    /** Whether input i takes part in backward (leaf parameters, intermediate results, not constants). */
    boolean needs(int i) {
        return inputs[i].requiresGrad();
    }
}
