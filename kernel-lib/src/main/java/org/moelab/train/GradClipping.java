package org.moelab.train;

import java.util.Collection;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/** Gradient clipping by the global L2 norm over all parameters (PyTorch's {@code clip_grad_norm_}). */
public final class GradClipping {
    private GradClipping() {}

    public static float clipGlobalNorm(Module module, float maxNorm) {
        Require.notNull("clipGlobalNorm", "module", module);
        return clipGlobalNorm(module.parameters(), maxNorm);
    }

    /**
     * Scales every gradient by maxNorm/(norm + 1e-6) when the global norm exceeds maxNorm. Returns the norm before
     * clipping. A non-finite norm is returned without touching the gradients, so the caller (the trainer's NaN
     * guard) sees the problem instead of a tensor of NaNs.
     */
    public static float clipGlobalNorm(Collection<Tensor> parameters, float maxNorm) {
        Require.notNull("clipGlobalNorm", "parameters", parameters);
        Require.positive("clipGlobalNorm", "maxNorm", maxNorm);
        double sumSq = 0;
        for (Tensor p : parameters) {
            Tensor g = p.grad();
            if (g == null) continue;
            for (float v : g.data()) sumSq += (double) v * v;
        }
        float norm = (float) Math.sqrt(sumSq);
        if (!Float.isFinite(norm) || norm <= maxNorm) return norm;
        float scale = (float) (maxNorm / (norm + 1e-6));
        for (Tensor p : parameters) {
            Tensor g = p.grad();
            if (g == null) continue;
            float[] d = g.data();
            for (int i = 0; i < d.length; i++) d[i] *= scale;
        }
        return norm;
    }
}
