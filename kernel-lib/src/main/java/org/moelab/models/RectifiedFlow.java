package org.moelab.models;

import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Rectified-flow conventions of SD3/ProMoE: σ ~ sigmoid(N(0, 1)) (logit-normal), x_σ = (1−σ)·x0 + σ·ε, velocity
 * target v = ε − x0, timestep fed to the model 1000·σ. Sampling integrates dx/dσ = v with Euler from σ = 1 (noise)
 * to σ = 0 (data): x ← x + (σ_next − σ)·v, with classifier-free guidance v = v_u + w·(v_c − v_u).
 */
public final class RectifiedFlow {
    /** The timestep scale: the model sees t = 1000·σ. */
    public static final float TIMESTEP_SCALE = 1000f;

    private RectifiedFlow() {}

    /** A velocity predictor: x [B, ...], σ per sample, labels per sample (the null id for the unconditional pass). */
    @FunctionalInterface
    public interface VelocityModel {
        Tensor velocity(Tensor x, float[] sigma, int[] labels);
    }

    /** n noise levels σ = sigmoid(z), z ~ N(0, 1). */
    public static float[] sampleSigmas(Rng rng, int n) {
        if (rng == null) throw new IllegalArgumentException("RectifiedFlow: rng must not be null");
        if (n <= 0) throw new IllegalArgumentException("RectifiedFlow: number of sigmas must be positive, got " + n);
        float[] sigma = new float[n];
        for (int i = 0; i < n; i++) sigma[i] = (float) (1 / (1 + StrictMath.exp(-rng.nextGaussian())));
        return sigma;
    }

    /** Model timesteps 1000·σ. */
    public static float[] timesteps(float[] sigma) {
        float[] t = new float[sigma.length];
        for (int i = 0; i < t.length; i++) t[i] = TIMESTEP_SCALE * sigma[i];
        return t;
    }

    /** x_σ = (1−σ)·x0 + σ·ε, σ per sample (axis 0). */
    public static Tensor interpolate(Tensor x0, Tensor noise, float[] sigma) {
        requireSameShape(x0, noise);
        if (sigma.length != x0.size(0)) throw new IllegalArgumentException("RectifiedFlow: " + sigma.length + " sigmas for a batch of " + x0.size(0));
        Tensor s = perSample(sigma, x0.rank());
        return x0.sub(x0.mul(s)).add(noise.mul(s));
    }

    /** The regression target v = ε − x0. */
    public static Tensor velocityTarget(Tensor x0, Tensor noise) {
        requireSameShape(x0, noise);
        return noise.sub(x0);
    }

    /** v_u + w·(v_c − v_u): the conditional and the unconditional (null-label) pass, guidance applied to the whole output. */
    public static Tensor guidedVelocity(VelocityModel model, Tensor x, float[] sigma, int[] labels, int nullLabel, float guidance) {
        Tensor conditional = model.velocity(x, sigma, labels);
        int[] nulls = new int[labels.length];
        java.util.Arrays.fill(nulls, nullLabel);
        Tensor unconditional = model.velocity(x, sigma, nulls);
        return unconditional.add(conditional.sub(unconditional).mul(guidance));
    }

    /**
     * Euler sampling from noise (σ = 1) to data (σ = 0) over σ_i = 1 − i/steps. Guidance w = 1 runs the conditional
     * pass only (it equals the guided formula at w = 1). No graph is recorded.
     */
    public static Tensor sample(VelocityModel model, Tensor noise, int[] labels, int nullLabel, int steps, float guidance) {
        if (model == null || noise == null || labels == null) throw new IllegalArgumentException("RectifiedFlow: model, noise and labels must not be null");
        if (steps <= 0) throw new IllegalArgumentException("RectifiedFlow: steps must be positive, got " + steps);
        if (labels.length != noise.size(0)) throw new IllegalArgumentException("RectifiedFlow: " + labels.length + " labels for a batch of " + noise.size(0));
        try (var scope = GradMode.noGrad()) {
            Tensor x = noise.detach();
            float[] sigma = new float[labels.length];
            for (int i = 0; i < steps; i++) {
                float now = 1f - (float) i / steps, next = 1f - (float) (i + 1) / steps;
                java.util.Arrays.fill(sigma, now);
                Tensor v = guidance == 1f ? model.velocity(x, sigma, labels) : guidedVelocity(model, x, sigma, labels, nullLabel, guidance);
                x = x.add(v.mul(next - now)).detach();
            }
            return x;
        }
    }

    private static Tensor perSample(float[] values, int rank) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = values.length;
        return Tensor.of(values.clone(), shape);
    }

    private static void requireSameShape(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("RectifiedFlow: x0 " + java.util.Arrays.toString(a.shape()) + " and noise " + java.util.Arrays.toString(b.shape()) + " must have the same shape");
        }
    }
}
