package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.moelab.nn.Linear;
import org.moelab.tensor.Rng;

class EmaTest {
    @Test
    void averagesWithWarmedUpDecayAndRestoresTheLiveWeights() {
        Linear layer = new Linear(1, 1, false, new Rng(1));
        float[] w = layer.weight().data();
        w[0] = 0f;
        Ema ema = new Ema(layer, 0.5f);
        w[0] = 10f;
        ema.update(); // decay min(0.5, 1/10) = 0.1: 0.1·0 + 0.9·10
        assertEquals(9f, ema.withAverage(() -> layer.weight().data()[0]), 1e-5f);
        assertEquals(10f, w[0], "live value back after withAverage");
        for (int i = 0; i < 50; i++) ema.update();
        assertEquals(10f, ema.withAverage(() -> w[0]), 1e-3f);
        w[0] = 0f;
        ema.update(); // decay now 0.5
        assertEquals(5f, ema.withAverage(() -> w[0]), 1e-3f);
        ema.copyTo();
        assertArrayEquals(new float[] {5f}, w, 1e-3f);
        assertEquals(52, ema.updates());
        assertThrows(IllegalArgumentException.class, () -> new Ema(layer, 1f));
    }
}
