package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The t-interval against published quantiles. */
class StatsTest {
    @Test
    void studentQuantilesMatchTheTables() {
        assertEquals(12.7062, Stats.tQuantile975(1), 1e-4);
        assertEquals(4.3027, Stats.tQuantile975(2), 1e-4);
        assertEquals(2.7764, Stats.tQuantile975(4), 1e-4);
        assertEquals(2.2281, Stats.tQuantile975(10), 1e-4);
        assertEquals(1.9600, Stats.tQuantile975(100_000), 1e-3);
    }

    @Test
    void meanSdAndIntervalOfASample() {
        double[] xs = {1, 2, 3, 4, 5};
        assertEquals(3.0, Stats.mean(xs));
        assertEquals(Math.sqrt(2.5), Stats.sd(xs), 1e-15);
        assertEquals(2.7764 * Math.sqrt(2.5) / Math.sqrt(5), Stats.ci95HalfWidth(xs), 1e-4);
        assertTrue(Double.isNaN(Stats.sd(new double[] {1})));
    }

    @Test
    void welchIntervalOfADifferenceMatchesScipy() {
        // scipy.stats.t.ppf(0.975, df) with the Welch–Satterthwaite df 3.5328: difference -1, interval [-4.96373, 2.96373].
        double[] d = Stats.welchDifference95(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 6});
        assertEquals(-1.0, d[0], 1e-12);
        assertEquals(-4.963726, d[1], 1e-5);
        assertEquals(2.963726, d[2], 1e-5);
    }
}
