package org.moelab.sweep;

import java.io.Serializable;
import java.util.Map;

/**
 * Trains one point and returns its metrics by name. Serializable because Spark ships it to the executors with the
 * points; implementations must give the same numbers for the same point in any JVM (the engine's runs are
 * bit-reproducible), and must throw rather than return the numbers of an interrupted training.
 */
@FunctionalInterface
public interface PointRunner extends Serializable {
    Map<String, Double> measure(SweepPoint point);
}
