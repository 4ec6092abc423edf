package org.moelab.train;

import java.util.Map;
import org.moelab.nn.Module;
import org.moelab.tensor.Tensor;

/** The parameters an optimizer owns, as parallel arrays so the update loops index rather than iterate maps. */
final class NamedParameters {
    final String[] names;
    final Tensor[] tensors;

    private NamedParameters(String owner, Map<String, Tensor> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException(owner + ": needs at least one parameter, got " + (params == null ? "null" : "none"));
        names = params.keySet().toArray(new String[0]);
        tensors = params.values().toArray(new Tensor[0]);
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t == null || !t.requiresGrad() || t.op() != null) {
                throw new IllegalArgumentException(owner + ": parameter '" + names[i] + "' must be a leaf tensor with requiresGrad(true)");
            }
        }
    }

    static NamedParameters of(String owner, Map<String, Tensor> params) {
        return new NamedParameters(owner, params);
    }

    static NamedParameters of(String owner, Module module) {
        if (module == null) throw new IllegalArgumentException(owner + ": module must not be null");
        // Frozen parameters (requiresGrad false, e.g. SMoE-Dropout's random router) are not the optimizer's to update.
        Map<String, Tensor> trainable = new java.util.LinkedHashMap<>();
        module.namedParameters().forEach((n, t) -> {
            if (t.requiresGrad()) trainable.put(n, t);
        });
        return new NamedParameters(owner, trainable);
    }

    int size() {
        return tensors.length;
    }

    /** The gradient storage of parameter i, or null when no backward reached it. */
    float[] grad(int i) {
        Tensor g = tensors[i].grad();
        return g == null ? null : g.data();
    }

    void zeroGrad() {
        for (Tensor t : tensors) t.zeroGrad();
    }

    /** One zeroed buffer per parameter, the shape of the optimizer's per-parameter state. */
    float[][] zeroBuffers() {
        float[][] b = new float[tensors.length][];
        for (int i = 0; i < b.length; i++) b[i] = new float[tensors[i].numel()];
        return b;
    }
}
