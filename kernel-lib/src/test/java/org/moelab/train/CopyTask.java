package org.moelab.train;

import java.util.Arrays;
import org.moelab.models.CausalTransformer;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * A copy task for tiny language models: {@code x₁..x₅ SEP x₁..x₅}, loss only on the second half (the first half is
 * random and cannot be predicted). Solving it needs attention to the position {@code HALF + 1} steps back, which a
 * model without working attention, positions or gradients cannot learn.
 */
final class CopyTask {
    static final int VOCAB = 10, SEP = 1, HALF = 5, TIME = 2 * HALF;

    private CopyTask() {}

    /** Inputs and next-token targets [batch, TIME]. */
    record Batch(int[] tokens, int[] targets, int size) {}

    static Batch sample(Rng rng, int batch) {
        int[] tokens = new int[batch * TIME], targets = new int[batch * TIME];
        int[] seq = new int[TIME + 1];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < HALF; i++) seq[i] = 2 + rng.nextInt(VOCAB - 2);
            seq[HALF] = SEP;
            System.arraycopy(seq, 0, seq, HALF + 1, HALF);
            for (int t = 0; t < TIME; t++) {
                tokens[b * TIME + t] = seq[t];
                targets[b * TIME + t] = t < HALF ? Losses.IGNORE_INDEX : seq[t + 1];
            }
        }
        return new Batch(tokens, targets, batch);
    }

    static CausalTransformer model(long seed, float dropout) {
        return CausalTransformer.builder().vocab(VOCAB).dModel(32).heads(2).layers(2).maxLen(TIME).dropout(dropout).seed(seed).build();
    }

    /** Trains with AdamW, cosine schedule and clipping; returns the training loss of every step. */
    static float[] train(CausalTransformer model, long seed, int steps, int batch) {
        AdamW optimizer = AdamW.builder(model).learningRate(0f).weightDecay(0.01f).build();
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1e-2f, 20, steps, 1e-4f);
        Rng data = new Rng(seed).fork("data");
        float[] losses = new float[steps];
        model.train();
        for (int step = 0; step < steps; step++) {
            Batch b = sample(data, batch);
            optimizer.zeroGrad();
            // A training pass: residual dropout (when the model has any) draws from the step's own stream.
            Tensor loss = model.loss(b.tokens(), b.targets(), b.size(), TIME, RoutingContext.training(step, new Rng(seed).fork("dropout-" + step)));
            loss.backward();
            GradClipping.clipGlobalNorm(model, 1f);
            schedule.applyTo(optimizer, step);
            optimizer.step();
            losses[step] = loss.item();
        }
        return losses;
    }

    /** Loss on fresh sequences, in eval mode, without recording a graph. */
    static float evaluate(CausalTransformer model, Rng rng, int batch) {
        model.eval();
        try (var scope = GradMode.noGrad()) {
            Batch b = sample(rng, batch);
            return model.loss(b.tokens(), b.targets(), b.size(), TIME).item();
        }
    }

    static String tail(float[] losses) {
        return Arrays.toString(Arrays.copyOfRange(losses, Math.max(0, losses.length - 5), losses.length));
    }
}
