package org.moelab.train;

import java.util.List;
import java.util.function.Supplier;
import org.moelab.nn.Module;
import org.moelab.tensor.Tensor;

/**
 * An exponential moving average of a module's trainable parameters, θ̄ ← d·θ̄ + (1 − d)·θ after each optimizer step
 * (DiT/ProMoE sample and report from the EMA weights). {@link #withAverage} swaps the averaged values in for the
 * duration of a call — sampling, evaluation — and puts the live values back afterwards, even on an exception.
 * The average starts as a copy of the parameters at construction. The decay warms up as in TensorFlow's
 * {@code ExponentialMovingAverage(num_updates)}: update n uses min(d, (1 + n)/(10 + n)), so a short run (a few
 * hundred steps at d = 0.999) is not dominated by the initial weights.
 */
public final class Ema {
    private final List<Tensor> parameters;
    private final float[][] shadow;
    private final float decay;
    private long updates;

    public Ema(Module module, float decay) {
        if (module == null) throw new IllegalArgumentException("Ema: module must not be null");
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("Ema: decay must be in [0, 1), got " + decay);
        this.parameters = module.parameters().stream().filter(Tensor::requiresGrad).toList();
        this.decay = decay;
        this.shadow = new float[parameters.size()][];
        for (int i = 0; i < shadow.length; i++) shadow[i] = parameters.get(i).data().clone();
    }

    /** Folds the current parameter values into the average (call after each optimizer step). */
    public void update() {
        float keep = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates)), take = 1 - keep;
        for (int i = 0; i < shadow.length; i++) {
            float[] s = shadow[i], p = parameters.get(i).data();
            for (int j = 0; j < s.length; j++) s[j] = keep * s[j] + take * p[j];
        }
        updates++;
    }

    /** Runs {@code body} with the averaged values in the parameters, then restores the live ones. */
    public <T> T withAverage(Supplier<T> body) {
        float[][] live = new float[shadow.length][];
        for (int i = 0; i < shadow.length; i++) {
            float[] p = parameters.get(i).data();
            live[i] = p.clone();
            System.arraycopy(shadow[i], 0, p, 0, p.length);
        }
        try {
            return body.get();
        } finally {
            for (int i = 0; i < shadow.length; i++) System.arraycopy(live[i], 0, parameters.get(i).data(), 0, live[i].length);
        }
    }

    /** Copies the averaged values into the parameters for good (e.g. before saving the model for sampling). */
    public void copyTo() {
        for (int i = 0; i < shadow.length; i++) System.arraycopy(shadow[i], 0, parameters.get(i).data(), 0, shadow[i].length);
    }

    public float decay() {
        return decay;
    }

    public long updates() {
        return updates;
    }
}
