package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class CurvesTest {
    private static final double[] STEPS = {0, 10, 20, 30};

    @Test
    void armsAndReferenceBecomeNamedSeriesWithTheirData() {
        XYChart chart = Curves.builder("loss").xTitle("step").yTitle("nats", Better.LOWER)
                .add("dense", STEPS, new double[] {4, 3, 2.5, 2.2}).add("moe", STEPS, new double[] {4, 2.8, 2.3, 2.0})
                .reference("target", 2.1).build();
        assertEquals(List.of("dense", "moe", "target"), chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList());
        assertEquals("nats (↓ better)", chart.getYAxisTitle());
        XYSeries moe = chart.getSeriesMap().get("moe");
        assertArrayEquals(STEPS, moe.getXData());
        assertArrayEquals(new double[] {4, 2.8, 2.3, 2.0}, moe.getYData());
        XYSeries target = chart.getSeriesMap().get("target");
        assertArrayEquals(new double[] {0, 30}, target.getXData());
        assertArrayEquals(new double[] {2.1, 2.1}, target.getYData());
        assertEquals("step", chart.getXAxisTitle());
        assertEquals(760, chart.getWidth());
        assertEquals(420, chart.getHeight());
    }

    @Test
    void smoothingIsTheDebiasedEmaAndRawSeriesStayOutOfTheLegend() {
        double[] y = {1, 3, 2};
        XYChart chart = Curves.builder("loss").yTitle("loss", Better.LOWER).add("a", y).smoothing(0.5).showRaw().logY().build();
        // m: 0.5, 1.75, 1.875; debias by 1-0.5^t: 0.5, 0.75, 0.875
        assertArrayEquals(new double[] {1, 1.75 / 0.75, 1.875 / 0.875}, chart.getSeriesMap().get("a").getYData(), 1e-12);
        XYSeries raw = chart.getSeriesMap().get("a (raw)");
        assertArrayEquals(y, raw.getYData());
        assertFalse(raw.isShowInLegend());
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {0, 1, 2}, chart.getSeriesMap().get("a").getXData());
    }

    @Test
    void emaPassesNonFiniteValuesThroughWithoutPoisoningTheAverage() {
        double[] s = Smoothing.ema(new double[] {2, Double.NaN, 2}, 0.9);
        assertEquals(2, s[0], 1e-12);
        assertTrue(Double.isNaN(s[1]));
        assertEquals(2, s[2], 1e-12);
    }

    @Test
    void mismatchedLengthsNameTheSeries() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Curves.builder("t").add("moe", new double[] {1, 2, 3}, new double[] {1, 2}));
        assertEquals("Curves: x and y must have the same length for series 'moe' (x has 3, y has 2)", e.getMessage());
    }

    @Test
    void emptyDuplicateAndLogInvalidInputAreRejected() {
        assertEquals("Curves: y of series 'a' must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Curves.builder("t").add("a", new double[0])).getMessage());
        assertEquals("Curves: series name 'a' is used twice; series names must be unique",
                assertThrows(IllegalArgumentException.class, () -> Curves.builder("t").add("a", new double[] {1}).reference("a", 1)).getMessage());
        assertEquals("Curves: add at least one series (add(name, x, y)) before build()",
                assertThrows(IllegalArgumentException.class, () -> Curves.builder("t").build()).getMessage());
        assertEquals("Curves: logY needs every y > 0, but series 'a' has y[1] = 0.0",
                assertThrows(IllegalArgumentException.class, () -> Curves.builder("t").yTitle("y", Better.NEITHER).add("a", new double[] {1, 0}).logY().build()).getMessage());
        assertEquals("Curves: set the value axis with yTitle(title, better), better one of [HIGHER, LOWER, NEITHER], before build()",
                assertThrows(IllegalArgumentException.class, () -> Curves.builder("t").add("a", new double[] {1, 2}).build()).getMessage());
        assertEquals("Curves: smoothing must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> Curves.builder("t").smoothing(1)).getMessage());
    }

    @Test
    void rendersHeadlessToPngAndSvgEvenWithNaNPoints() {
        XYChart chart = Curves.builder("loss").yTitle("loss", Better.LOWER).add("a", new double[] {3, Double.NaN, 2, 1.5}).reference("dense", 2).smoothing(0.6).showRaw().build();
        assertTrue(ChartExport.toPng(chart).length > 1000);
        String svg = ChartExport.toSvg(chart);
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
    }
}
