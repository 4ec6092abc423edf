package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Rectified-flow interpolation, target and sampler signs, classifier-free guidance. */
class RectifiedFlowTest {
    @Test
    void interpolationEndsAtDataAndNoise() {
        Tensor x0 = Tensor.randn(new Rng(1), 2, 1, 3, 3), eps = Tensor.randn(new Rng(2), 2, 1, 3, 3);
        Tensor xt = RectifiedFlow.interpolate(x0, eps, new float[] {0f, 1f});
        assertArrayEquals(x0.slice(0, 0, 1).toFloatArray(), xt.slice(0, 0, 1).toFloatArray(), 1e-6f);
        assertArrayEquals(eps.slice(0, 1, 2).toFloatArray(), xt.slice(0, 1, 2).toFloatArray(), 1e-6f);
        Tensor mid = RectifiedFlow.interpolate(x0, eps, new float[] {0.25f, 0.25f});
        assertEquals(0.75f * x0.get(1, 0, 2, 1) + 0.25f * eps.get(1, 0, 2, 1), mid.get(1, 0, 2, 1), 1e-6f);
        // dx_σ/dσ = ε − x0 = the target
        assertEquals(eps.get(0, 0, 1, 1) - x0.get(0, 0, 1, 1), RectifiedFlow.velocityTarget(x0, eps).get(0, 0, 1, 1), 1e-6f);
    }

    @Test
    void sigmasAreLogitNormal() {
        float[] s = RectifiedFlow.sampleSigmas(new Rng(3), 4000);
        double mean = 0;
        int below = 0;
        for (float v : s) {
            assertTrue(v > 0 && v < 1);
            mean += v / s.length;
            below += v < 0.5f ? 1 : 0;
        }
        assertEquals(0.5, mean, 0.02);
        assertEquals(2000, below, 150);
        assertArrayEquals(new float[] {1000f, 250f}, RectifiedFlow.timesteps(new float[] {1f, 0.25f}));
    }

    @Test
    void eulerWithTheExactVelocityReproducesTheData() {
        // data is a point mass at x0 per sample: x_σ = (1−σ)x0 + σε ⇒ v(x, σ) = (x − x0)/σ
        Tensor x0 = Tensor.randn(new Rng(4), 3, 1, 4, 4), eps = Tensor.randn(new Rng(5), 3, 1, 4, 4);
        RectifiedFlow.VelocityModel exact = (x, sigma, labels) -> {
            float[] v = x.sub(x0).toFloatArray();
            int per = v.length / sigma.length;
            for (int i = 0; i < v.length; i++) v[i] /= sigma[i / per];
            return Tensor.of(v, x.shape());
        };
        Tensor sample = RectifiedFlow.sample(exact, eps, new int[] {0, 1, 2}, 10, 7, 1f);
        assertArrayEquals(x0.toFloatArray(), sample.toFloatArray(), 1e-4f);
        Tensor guided = RectifiedFlow.sample(exact, eps, new int[] {0, 1, 2}, 10, 7, 2f);
        assertArrayEquals(x0.toFloatArray(), guided.toFloatArray(), 1e-4f); // v_c = v_u here
    }

    @Test
    void guidanceMixesConditionalAndUnconditional() {
        int nullLabel = 5;
        RectifiedFlow.VelocityModel model = (x, sigma, labels) -> Tensor.full(labels[0] == nullLabel ? 1f : 3f, x.shape());
        Tensor x = Tensor.zeros(1, 2);
        float[] sigma = {0.5f};
        int[] labels = {2};
        assertArrayEquals(new float[] {3f, 3f}, RectifiedFlow.guidedVelocity(model, x, sigma, labels, nullLabel, 1f).toFloatArray());
        assertArrayEquals(new float[] {5f, 5f}, RectifiedFlow.guidedVelocity(model, x, sigma, labels, nullLabel, 2f).toFloatArray());
        assertArrayEquals(new float[] {1f, 1f}, RectifiedFlow.guidedVelocity(model, x, sigma, labels, nullLabel, 0f).toFloatArray());
        // Euler from σ=1 to 0 moves x by −∫v dσ = −v
        assertArrayEquals(new float[] {-5f, -5f}, RectifiedFlow.sample(model, x, labels, nullLabel, 4, 2f).toFloatArray(), 1e-5f);
    }

    @Test
    void badArgumentsAreReported() {
        Tensor a = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RectifiedFlow.interpolate(a, Tensor.zeros(2, 4), new float[2]));
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RectifiedFlow.interpolate(a, a, new float[3]));
        assertTrue(e.getMessage().contains("3 sigmas for a batch of 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RectifiedFlow.sample((x, s, y) -> x, a, new int[2], 1, 0, 1f));
        assertTrue(e.getMessage().contains("steps must be positive"), e.getMessage());
    }
}
