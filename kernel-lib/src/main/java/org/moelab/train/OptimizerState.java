package org.moelab.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.StateMaps;

/**
 * Flattening of optimizer state into the same {@code name → float[]} maps that model state dicts use, so one
 * checkpoint format holds both. Keys: {@code lr}, and {@code <kind>.<parameter name>} per buffer
 * (e.g. {@code exp_avg.blocks.0.attn.q.weight}, PyTorch's buffer names). Step counts are stored as floats, exact to
 * 2^24 steps.
 */
final class OptimizerState {
    private final LinkedHashMap<String, float[]> entries = new LinkedHashMap<>();

    OptimizerState put(String key, float[] values) {
        entries.put(key, values);
        return this;
    }

    /** Copies of each parameter's buffer under {@code kind.<name>}. */
    OptimizerState putBuffers(String kind, NamedParameters params, float[][] buffers) {
        for (int i = 0; i < params.size(); i++) entries.put(kind + "." + params.names[i], buffers[i].clone());
        return this;
    }

    OptimizerState putSteps(NamedParameters params, int[] steps) {
        for (int i = 0; i < params.size(); i++) entries.put("step." + params.names[i], new float[] {steps[i]});
        return this;
    }

    /** The sizes a valid map must have: what {@link #entries} holds now. */
    LinkedHashMap<String, Integer> sizes() {
        LinkedHashMap<String, Integer> s = new LinkedHashMap<>();
        entries.forEach((k, v) -> s.put(k, v.length));
        return s;
    }

    LinkedHashMap<String, float[]> map() {
        return entries;
    }

    /** Checks {@code given} against this (current) state's keys and sizes; throws naming {@code owner}. */
    void validate(String owner, Map<String, float[]> given) {
        StateMaps.validate(owner + ".loadState", sizes(), given, true);
        for (Map.Entry<String, float[]> e : given.entrySet()) {
            for (float v : e.getValue()) {
                if (!Float.isFinite(v)) throw new IllegalArgumentException(owner + ".loadState: '" + e.getKey() + "' contains a non-finite value " + v + "; nothing was loaded");
            }
        }
    }

    static void copyBuffers(String kind, NamedParameters params, float[][] buffers, Map<String, float[]> from) {
        for (int i = 0; i < params.size(); i++) {
            float[] src = from.get(kind + "." + params.names[i]);
            System.arraycopy(src, 0, buffers[i], 0, src.length);
        }
    }

    static void copySteps(NamedParameters params, int[] steps, Map<String, float[]> from) {
        for (int i = 0; i < params.size(); i++) steps[i] = (int) from.get("step." + params.names[i])[0];
    }
}
