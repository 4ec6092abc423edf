package org.moelab.train;

import org.moelab.tensor.Rng;

/**
 * The step being trained and its random stream. The stream is derived from the run's seed and the step number
 * alone, so a run resumed from a checkpoint draws exactly the dropout masks and noise it would have drawn.
 */
public record StepContext(long step, long totalSteps, Rng rng) {
    /** Progress in [0, 1]. */
    public double progress() {
        return totalSteps <= 0 ? 1 : Math.min(1.0, (double) step / totalSteps);
    }
}
