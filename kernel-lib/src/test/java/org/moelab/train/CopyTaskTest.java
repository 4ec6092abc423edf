package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.models.CausalTransformer;
import org.moelab.tensor.Rng;

/** End to end: a 2-layer causal transformer trained with AdamW learns to copy a sequence. */
class CopyTaskTest {
    @Test
    void tinyTransformerLearnsToCopy() {
        CausalTransformer model = CopyTask.model(7, 0f);
        float untrained = CopyTask.evaluate(model, new Rng(99), 64);
        float[] losses = CopyTask.train(model, 7, 250, 32);
        float heldOut = CopyTask.evaluate(model, new Rng(99), 64);
        assertTrue(untrained > 1.5f, "an untrained model should be near log(8) ≈ 2.08, got " + untrained);
        assertTrue(heldOut < 0.05f, "held-out copy loss " + heldOut + " (last training losses " + CopyTask.tail(losses) + ")");
    }
}
