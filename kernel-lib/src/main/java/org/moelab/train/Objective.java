package org.moelab.train;

import org.moelab.tensor.Tensor;

/** What the trainer minimises: a scalar loss for one batch, built with autograd (model forward + loss + aux terms). */
@FunctionalInterface
public interface Objective<B> {
    Tensor loss(B batch, StepContext context);
}
