package org.moelab.nn;

import org.moelab.tensor.Dropout;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Inverted dropout that is active only in training mode. Masks come from the module's own seeded stream, so a run is
 * reproducible and the draws of one dropout layer never shift another's.
 */
public final class DropoutLayer extends Layer {
    private final float p;
    private final Rng rng;

    public DropoutLayer(float p, Rng rng) {
        this.p = Require.inRange("Dropout", "p", p, 0f, 1f);
        this.rng = Require.notNull("Dropout", "rng", rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Dropout.dropout(x, p, rng, isTraining());
    }

    public float p() {
        return p;
    }
}
