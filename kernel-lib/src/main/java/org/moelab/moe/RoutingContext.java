package org.moelab.moe;

import org.moelab.tensor.Rng;

/**
 * What a router may know besides the token features: the training step (for schedules), whether we are
 * training (noise and jitter only then), a random stream (Gumbel noise, jitter), and optional per-token side
 * information: labels (task, class or source ids; -1 = none) and token ids (for hash routing).
 */
public record RoutingContext(long step, boolean training, Rng rng, int[] labels, int[] tokenIds) {

    public static RoutingContext training(long step, Rng rng) {
        return new RoutingContext(step, true, rng, null, null);
    }

    public static RoutingContext evaluation() {
        return new RoutingContext(0, false, new Rng(0), null, null);
    }

    public RoutingContext withLabels(int[] perTokenLabels) {
        return new RoutingContext(step, training, rng, perTokenLabels, tokenIds);
    }

    public RoutingContext withTokenIds(int[] ids) {
        return new RoutingContext(step, training, rng, labels, ids);
    }
}
