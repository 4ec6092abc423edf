package org.moelab.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one point gave: its metrics by name (bit-exact doubles), or the failure message of its last attempt. A
 * failed point has no metrics; {@code attempts} says how many times Spark ran it.
 */
public record PointResult(SweepPoint point, String hash, Map<String, Double> metrics, String failure, int attempts) implements Serializable {
    public PointResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public static PointResult ok(SweepPoint point, String hash, Map<String, Double> metrics, int attempts) {
        return new PointResult(point, hash, metrics, null, attempts);
    }

    public static PointResult failed(SweepPoint point, String hash, String failure, int attempts) {
        return new PointResult(point, hash, Map.of(), failure == null ? "failed" : failure, attempts);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
