package org.moelab.moe;

import org.moelab.tensor.Tensor;

/**
 * A layer that reads the forward pass it runs in: it routes its tokens (by the pass's labels or token ids where it
 * needs them), records its {@link Routing} in the pass's recorder and draws any noise from the pass's stream.
 * {@link MoELayer} is one; MoM's mixture of memories is another. A decoder block calls its sub-layers through this
 * interface when they implement it and as plain {@link org.moelab.nn.Layer}s otherwise.
 */
public interface RoutedLayer {
    /** y [..., d] for x [..., d] in {@code pass}. */
    Tensor forward(Tensor x, RoutingContext pass);
}
