package org.moelab.nn;

/** Which normalisation a block uses; {@link #create} builds it. */
public enum NormKind {
    LAYER_NORM, RMS_NORM;

    public Layer create(int dim) {
        return this == LAYER_NORM ? new LayerNorm(dim) : new RMSNorm(dim);
    }
}
