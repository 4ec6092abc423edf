package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;

class HeatMapsTest {
    private static final double[][] LOAD = {{0.1, 0.2, 0.3, 0.4}, {0.25, 0.25, 0.25, 0.25}};

    @Test
    void labelsAndCellsKeepTheMatrixOrientationWithRowZeroOnTop() {
        HeatMapChart chart = HeatMaps.builder("load", LOAD).rowLabels(List.of("layer 0", "layer 1"))
                .columnLabels(List.of("e0", "e1", "e2", "e3")).rowTitle("layer").columnTitle("expert").build();
        HeatMapSeries series = chart.getHeatMapSeries();
        assertEquals(List.of("e0", "e1", "e2", "e3"), new ArrayList<>(series.getXData()));
        assertEquals(List.of("layer 1", "layer 0"), new ArrayList<>(series.getYData()), "XChart draws y index 0 at the bottom");
        assertEquals(8, series.getHeatData().size());
        Number[] cell = series.getHeatData().stream().map(n -> (Number[]) n).filter(n -> n[0].intValue() == 3 && n[1].intValue() == 1).findFirst().orElseThrow();
        assertEquals(0.4, cell[2].doubleValue(), "row 0 (layer 0) is y index 1, column 3 holds 0.4");
        assertEquals(0.1, chart.getStyler().getMin());
        assertEquals(0.4, chart.getStyler().getMax());
        assertTrue(chart.getStyler().isShowValue(), "small matrices are annotated");
        assertEquals("expert", chart.getXAxisTitle());
        assertTrue(ChartExport.toPng(chart).length > 1000);
    }

    @Test
    void divergingScaleIsSymmetricAndLargeMatricesAreNotAnnotated() {
        double[][] big = new double[20][20];
        big[3][4] = -2;
        big[5][6] = 1;
        HeatMapChart chart = HeatMaps.builder("diff", big).diverging().build();
        assertEquals(-2, chart.getStyler().getMin());
        assertEquals(2, chart.getStyler().getMax());
        assertFalse(chart.getStyler().isShowValue());
        assertEquals("0", chart.getHeatMapSeries().getXData().iterator().next());
        assertTrue(ChartExport.toPng(chart).length > 1000);
    }

    @Test
    void constantMatrixStillHasAUsableScale() {
        HeatMapChart chart = HeatMaps.builder("flat", new double[][] {{1, 1}}).build();
        assertArrayEquals(new double[] {0.5, 1.5}, new double[] {chart.getStyler().getMin(), chart.getStyler().getMax()});
        assertTrue(ChartExport.toPng(chart).length > 0);
    }

    @Test
    void badShapesAndLabelsAreRejected() {
        assertEquals("HeatMaps: values must be rectangular; row 0 has 2 columns but row 1 has 1",
                assertThrows(IllegalArgumentException.class, () -> HeatMaps.builder("t", new double[][] {{1, 2}, {3}})).getMessage());
        assertEquals("HeatMaps: rowLabels has 3 labels but values has 2 rows",
                assertThrows(IllegalArgumentException.class, () -> HeatMaps.builder("t", LOAD).rowLabels(List.of("a", "b", "c"))).getMessage());
        assertEquals("HeatMaps: values must not be empty",
                assertThrows(IllegalArgumentException.class, () -> HeatMaps.builder("t", new double[0][])).getMessage());
        assertEquals("HeatMaps: every value in row 0 must be finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> HeatMaps.builder("t", new double[][] {{Double.NaN}})).getMessage());
    }
}
