package org.moelab.train;

import org.moelab.nn.Require;

/**
 * The learning rate as a function of the optimizer step (0-based: the step about to be taken). Warm-up rises
 * linearly from 0 at step 0 to the peak at step {@code warmupSteps} (PyTorch/Hugging Face convention); cosine then
 * decays to {@code minLr} at step {@code totalSteps} and stays there.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    float at(long step);

    /** Sets the optimizer's learning rate for {@code step}; call before {@link Optimizer#step()}. */
    default float applyTo(Optimizer optimizer, long step) {
        float lr = at(step);
        optimizer.learningRate(lr);
        return lr;
    }

    static LearningRateSchedule constant(float lr) {
        Require.nonNegative("LearningRateSchedule.constant", "lr", lr);
        return step -> lr;
    }

    /** Linear warm-up to {@code peak} over {@code warmupSteps}, then constant. */
    static LearningRateSchedule linearWarmup(float peak, long warmupSteps) {
        String owner = "LearningRateSchedule.linearWarmup";
        Require.nonNegative(owner, "peak", peak);
        if (warmupSteps < 0) throw new IllegalArgumentException(owner + ": warmupSteps must be >= 0, got " + warmupSteps);
        return step -> warmupSteps > 0 && step < warmupSteps ? peak * Math.max(0, step) / warmupSteps : peak;
    }

    /**
     * The warm-up MoM's and LoRA-Mixer's recipes use: 5 % of {@code totalSteps}, at least one step, and none for a
     * one-step run ({@link #cosine} needs warm-up &lt; total; every setting's step range starts at 1).
     */
    static long fivePercentWarmup(long totalSteps) {
        return Math.min(totalSteps - 1, Math.max(1, totalSteps / 20));
    }

    /** Linear warm-up to {@code peak}, then half a cosine down to {@code minLr} at {@code totalSteps}. */
    static LearningRateSchedule cosine(float peak, long warmupSteps, long totalSteps, float minLr) {
        String owner = "LearningRateSchedule.cosine";
        Require.nonNegative(owner, "peak", peak);
        Require.nonNegative(owner, "minLr", minLr);
        if (minLr > peak) throw new IllegalArgumentException(owner + ": minLr must be <= peak, got minLr=" + minLr + ", peak=" + peak);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException(owner + ": need 0 <= warmupSteps < totalSteps, got warmupSteps=" + warmupSteps + ", totalSteps=" + totalSteps);
        }
        LearningRateSchedule warm = linearWarmup(peak, warmupSteps);
        return step -> {
            if (step < warmupSteps) return warm.at(step);
            double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
            return (float) (minLr + (peak - minLr) * 0.5 * (1 + StrictMath.cos(Math.PI * progress)));
        };
    }
}
