package org.moelab.train;

/** How a training run ended. */
public enum RunStatus {
    /** All requested steps ran. */
    COMPLETED,
    /** The user interrupted; the model keeps the parameters of the last finished step. */
    INTERRUPTED,
    /** The loss or the gradients became NaN/Inf; the model was restored to the last parameters with a finite loss. */
    DIVERGED,
    /** The objective, a hook or a checkpoint write threw; the model keeps the parameters of the last finished step. */
    FAILED
}
