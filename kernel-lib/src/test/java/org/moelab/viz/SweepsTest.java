package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;

class SweepsTest {
    private static final List<Integer> KS = List.of(1, 2, 4, 8);

    private static List<Object> list(java.util.Collection<?> values) {
        return new ArrayList<>(values);
    }

    @Test
    void armsAreLinesWithMarkersOverTheParameterLabelsAndReferenceIsFlat() {
        CategoryChart chart = Sweeps.builder("BPC vs k").parameter("k", KS).yTitle("BPC", Better.LOWER)
                .add("SMoE-Dropout", new double[] {2.6, 2.5, 2.4, 2.38})
                .add("learned", Map.of(1, 2.9, 2, 2.4))
                .reference("dense", 2.36).build();
        assertEquals(List.of("SMoE-Dropout", "learned", "dense"), List.copyOf(chart.getSeriesMap().keySet()));
        CategorySeries smoe = chart.getSeriesMap().get("SMoE-Dropout");
        assertEquals(List.of("1", "2", "4", "8"), list(smoe.getXData()));
        assertEquals(List.of(2.6, 2.5, 2.4, 2.38), list(smoe.getYData()));
        assertEquals(CategorySeriesRenderStyle.Line, smoe.getChartCategorySeriesRenderStyle());
        List<Object> learned = list(chart.getSeriesMap().get("learned").getYData());
        assertEquals(2.9, learned.get(0));
        assertNull(learned.get(2), "k = 4 is missing from the map, so it is a gap");
        assertEquals(List.of(2.36, 2.36, 2.36, 2.36), list(chart.getSeriesMap().get("dense").getYData()));
        assertEquals("k", chart.getXAxisTitle());
        assertTrue(chart.getStyler().getYAxisMin() > 2.0, "lines zoom to the data so small differences stay visible");
        assertTrue(chart.getStyler().isOverlapped(), "line points sit on their ticks");
    }

    @Test
    void barVariantKeepsTheReferenceAsALine() {
        CategoryChart chart = Sweeps.builder("acc").parameter("experts", List.of(4, 8)).yTitle("accuracy", Better.HIGHER).bars()
                .add("a", new double[] {0.8, 0.9}, new double[] {0.01, 0.02}).reference("dense", 0.85).build();
        assertEquals(CategorySeriesRenderStyle.Bar, chart.getSeriesMap().get("a").getChartCategorySeriesRenderStyle());
        assertEquals(CategorySeriesRenderStyle.Line, chart.getSeriesMap().get("dense").getChartCategorySeriesRenderStyle());
        assertEquals(List.of(0.01, 0.02), list(chart.getSeriesMap().get("a").getExtraValues()));
        assertNull(chart.getStyler().getYAxisMin(), "bars keep their zero baseline");
        assertTrue(ChartExport.toPng(chart).length > 1000);
    }

    @Test
    void linesWithGapsRenderHeadless() {
        CategoryChart chart = Sweeps.builder("t").parameter("k", KS).yTitle("BPC", Better.LOWER).add("a", new double[] {2, Double.NaN, 1.5, 1.4}).reference("r", 1.6).build();
        assertTrue(ChartExport.toPng(chart).length > 1000);
    }

    @Test
    void validationNamesTheProblem() {
        assertEquals("Sweeps: values and parameter values must have the same length for series 'a' (values has 3, parameter values has 4)",
                assertThrows(IllegalArgumentException.class, () -> Sweeps.builder("t").parameter("k", KS).add("a", new double[] {1, 2, 3})).getMessage());
        assertEquals("Sweeps: call parameter(name, values) first",
                assertThrows(IllegalArgumentException.class, () -> Sweeps.builder("t").add("a", new double[] {1})).getMessage());
        assertEquals("Sweeps: series 'a' has a value for k = 16, which is not one of the parameter values [1, 2, 4, 8]",
                assertThrows(IllegalArgumentException.class, () -> Sweeps.builder("t").parameter("k", KS).add("a", Map.of(16, 1.0))).getMessage());
        assertEquals("Sweeps: parameter values must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Sweeps.builder("t").parameter("k", List.of())).getMessage());
    }
}
