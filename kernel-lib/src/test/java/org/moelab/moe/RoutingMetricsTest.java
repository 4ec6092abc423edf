package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingMetricsTest {
    @Test
    void entropyAndCoefficientOfVariation() {
        assertEquals(2.0, RoutingMetrics.loadEntropy(new int[] {5, 5, 5, 5}), 1e-12);
        assertEquals(1.0, RoutingMetrics.normalisedLoadEntropy(new int[] {5, 5, 5, 5}), 1e-12);
        assertEquals(0.0, RoutingMetrics.loadEntropy(new int[] {20, 0, 0, 0}), 1e-12);
        assertEquals(0.0, RoutingMetrics.coefficientOfVariation(new int[] {3, 3, 3}), 1e-12);
        assertEquals(Math.sqrt(3), RoutingMetrics.coefficientOfVariation(new int[] {4, 0, 0, 0}), 1e-12);
    }

    @Test
    void mutualInformationIsOneBitForAPerfectTwoWaySplitAndZeroForIndependence() {
        int[] labels = {0, 0, 1, 1, 0, 1};
        assertEquals(1.0, RoutingMetrics.mutualInformation(labels, new int[] {2, 2, 3, 3, 2, 3}, 2, 4), 1e-12);
        assertEquals(0.0, RoutingMetrics.mutualInformation(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}, 2, 2), 1e-12);
        assertEquals(0.0, RoutingMetrics.mutualInformation(new int[] {0, -1}, new int[] {-1, 1}, 2, 2), 1e-12);
    }

    @Test
    void jsDivergenceAndHistogramsAndFlipRate() {
        int[] labels = {0, 0, 1, 1};
        int[] experts = {0, 0, 1, 1};
        double[] a = RoutingMetrics.expertHistogram(labels, experts, 2, Set.of(0));
        double[] b = RoutingMetrics.expertHistogram(labels, experts, 2, Set.of(1));
        assertEquals(1.0, RoutingMetrics.jsDivergence(a, b), 1e-12);
        assertEquals(0.0, RoutingMetrics.jsDivergence(a, a), 1e-12);
        assertEquals(0.5, RoutingMetrics.flipRate(new int[] {0, 1, 2, 3}, new int[] {0, 2, 2, 1}), 1e-12);
    }
}
