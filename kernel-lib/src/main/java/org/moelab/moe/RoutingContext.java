package org.moelab.moe;

import org.moelab.tensor.Rng;

/**
 * The forward context: one value per forward pass carrying what layers may know besides their input — whether the
 * pass trains (noise, jitter and dropout only then), the training step (for schedules), the pass's random stream,
 * optional per-token side information (labels: task, class or source ids, -1 = none; token ids, for hash routing),
 * the number of experts a top-k router activates in this pass ({@code topK}, 0 = the router's own k), and the
 * {@link RoutingRecorder} in which every {@link MoELayer} of the pass records its {@link Routing}.
 *
 * <p>Losses and metrics read the routings of a pass from that pass's recorder, never from a layer afterwards, so
 * they do not depend on which forward ran last. The {@code with...} copies share the recorder: a model may add
 * labels or token ids on the way down and the caller still sees every routing of the pass.
 */
public record RoutingContext(long step, boolean training, Rng rng, int[] labels, int[] tokenIds, int topK, RoutingRecorder recorder) {

    public RoutingContext {
        if (topK < 0) throw new IllegalArgumentException("RoutingContext: topK must be >= 0 (0 = each router's own k), got " + topK);
        if (rng == null || recorder == null) throw new IllegalArgumentException("RoutingContext: rng and recorder must not be null");
    }

    /** A training pass at {@code step} drawing its randomness from {@code rng}, with a fresh recorder. */
    public static RoutingContext training(long step, Rng rng) {
        return new RoutingContext(step, true, rng, null, null, 0, new RoutingRecorder());
    }

    /** An evaluation pass (no noise), with a fresh recorder. */
    public static RoutingContext evaluation() {
        return new RoutingContext(0, false, new Rng(0), null, null, 0, new RoutingRecorder());
    }

    public RoutingContext withLabels(int[] perTokenLabels) {
        return new RoutingContext(step, training, rng, perTokenLabels, tokenIds, topK, recorder);
    }

    public RoutingContext withTokenIds(int[] ids) {
        return new RoutingContext(step, training, rng, labels, ids, topK, recorder);
    }

    /** The same pass with k experts per token in every top-k router (k schedules, self-slimming evaluation). */
    public RoutingContext withTopK(int k) {
        return new RoutingContext(step, training, rng, labels, tokenIds, k, recorder);
    }
}
