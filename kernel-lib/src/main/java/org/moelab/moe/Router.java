package org.moelab.moe;

import org.moelab.tensor.Tensor;

/**
 * The one interface every paper's router implements: tokens [T, d] (plus context) in, a {@link Routing} out.
 * Because experts, combine, aux losses and metrics only see {@code Routing}, any router fits any model.
 */
public interface Router {

    Routing route(Tensor tokens, RoutingContext context);

    int numExperts();

    /** Short human-readable description for tables and logs, e.g. "top-2 learned". */
    String describe();
}
