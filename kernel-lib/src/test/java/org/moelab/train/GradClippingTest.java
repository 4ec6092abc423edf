package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Tensor;

/** Clipping by global norm: the norm over all gradients, scaled only when above the limit. */
class GradClippingTest {
    static Tensor withGrad(float... g) {
        Tensor p = Tensor.zeros(g.length).requiresGrad(true);
        OptimizerTest.setGrad(p, g);
        return p;
    }

    @Test
    void scalesToTheLimitAndReturnsTheNormBefore() {
        Tensor a = withGrad(3f, 0f), b = withGrad(4f), none = Tensor.zeros(2).requiresGrad(true);
        float norm = GradClipping.clipGlobalNorm(List.of(a, b, none), 1f);
        assertEquals(5f, norm, 1e-6f);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0.8f}, b.grad().data(), 1e-6f);
        assertEquals(1f, (float) Math.hypot(a.grad().data()[0], b.grad().data()[0]), 1e-5f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        Tensor a = withGrad(3f, 4f);
        assertEquals(5f, GradClipping.clipGlobalNorm(List.of(a), 10f), 1e-6f);
        assertArrayEquals(new float[] {3f, 4f}, a.grad().data());
    }

    @Test
    void rejectsNonPositiveLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradClipping.clipGlobalNorm(List.of(withGrad(1f)), 0f));
        assertEquals("clipGlobalNorm: maxNorm must be a finite value > 0, got 0.0", e.getMessage());
    }
}
