package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.nn.CausalTransformer;

/** A seed fixes a whole training run bit for bit (init, data, dropout masks); another seed changes it. */
class DeterminismTest {
    record Outcome(float[] losses, Map<String, float[]> state) {}

    static Outcome run(long seed) {
        CausalTransformer model = CopyTask.model(seed, 0.1f);
        float[] losses = CopyTask.train(model, seed, 25, 8);
        return new Outcome(losses, model.stateDict());
    }

    static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < b.length; i++) b[i] = Float.floatToRawIntBits(values[i]);
        return b;
    }

    @Test
    void sameSeedGivesBitIdenticalLossesAndParameters() {
        Outcome a = run(7), b = run(7);
        assertArrayEquals(bits(a.losses()), bits(b.losses()));
        assertEquals(a.state().keySet(), b.state().keySet());
        a.state().forEach((name, values) -> assertArrayEquals(bits(values), bits(b.state().get(name)), name));
    }

    @Test
    void differentSeedGivesADifferentRun() {
        Outcome a = run(7), c = run(8);
        assertFalse(Arrays.equals(a.losses(), c.losses()));
        assertFalse(Arrays.equals(a.state().get("blocks.0.attn.q.weight"), c.state().get("blocks.0.attn.q.weight")));
    }
}
