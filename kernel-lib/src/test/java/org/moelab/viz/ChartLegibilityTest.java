package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Charts people read at a glance: the legend never covers the plot, step axes tick at round numbers, and an arm keeps
 * its colour across the charts of one experiment. The chart is painted (to PNG) first, then XChart's own layout is
 * read: the plot's and the legend's bounds, and the x axis's tick labels.
 */
class ChartLegibilityTest {
    private static final List<String> ARMS = List.of("softmax attention", "linear attention (1 memory)", "Gated DeltaNet (1 memory)",
            "Gated DeltaNet, d_v × 2", "MoM (4 memories, top-2, shared)", "MoM, oracle routing");

    /** Six long-named arms whose curves fill the top-right corner, where an inside legend used to sit. */
    private static XYChart sixCurves(int steps) {
        Curves.Builder b = Curves.builder("Training loss").xTitle("step").yTitle("cross-entropy (nats)", Better.LOWER);
        double[] x = new double[steps];
        for (int i = 0; i < steps; i++) x[i] = i;
        for (int a = 0; a < ARMS.size(); a++) {
            double[] y = new double[steps];
            for (int i = 0; i < steps; i++) y[i] = 5 * Math.exp(-i / (100.0 + 60 * a)) + 0.2 * a;
            b.add(ARMS.get(a), x, y);
        }
        return b.build();
    }

    @Test
    void theLegendLiesOutsideThePlotForEveryChartKind() throws Exception {
        List<Chart<?, ?>> charts = List.of(sixCurves(600),
                Sweeps.builder("accuracy vs P").parameter("pairs P", List.of(4, 8, 16)).yTitle("query accuracy", Better.HIGHER)
                        .add(ARMS.get(0), new double[] {0.99, 0.98, 0.97}).add(ARMS.get(4), new double[] {0.9, 0.8, 0.5}).reference("chance", 0.01).build(),
                Sweeps.builder("FD").parameter("arm", List.of("TC", "EC")).yTitle("FD", Better.LOWER).bars()
                        .add("CFG 1.0", new double[] {40, 35}).add("CFG 1.5", new double[] {30, 28}).build(),
                HeatMaps.builder("share", new double[][] {{0.5, 0.5}, {0.9, 0.1}}).build());
        for (Chart<?, ?> chart : charts) {
            ChartExport.toPng(chart);
            // XChart keeps the legend's size (not its place) in its bounds: it is drawn right of the plot when the
            // position is OutsideE, so the plot must leave the legend's width free at the chart's right edge.
            Rectangle2D plot = bounds(chart, "plot"), legend = bounds(chart, "legend");
            assertEquals(Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition(), chart.getTitle());
            assertTrue(plot.getWidth() > 300 && legend.getWidth() > 10, chart.getTitle() + ": plot " + plot + ", legend " + legend);
            assertTrue(plot.getMaxX() + legend.getWidth() <= chart.getWidth(),
                    chart.getTitle() + ": the legend (" + legend.getWidth() + " wide) would overlap the plot " + plot);
        }
    }

    @Test
    void evenlySpacedStepsTickAtRoundNumbers() throws Exception {
        for (int steps : new int[] {600, 1291, 1500}) {
            XYChart chart = sixCurves(steps);
            ChartExport.toPng(chart);
            List<Double> ticks = xTicks(chart);
            assertTrue(ticks.size() >= 3, steps + " steps: " + ticks);
            double spacing = ticks.get(1) - ticks.get(0);
            double decade = Math.pow(10, Math.floor(Math.log10(spacing)));
            double mantissa = spacing / decade;
            assertTrue(mantissa == 1 || mantissa == 2 || mantissa == 2.5 || mantissa == 5, steps + " steps: tick spacing " + spacing + " in " + ticks);
            for (double t : ticks) assertEquals(0, Math.IEEEremainder(t, spacing), 1e-9, steps + " steps: tick " + t + " in " + ticks);
        }
    }

    @Test
    void anArmKeepsItsColourInEveryChartDrawnWithTheArmList() {
        ChartStyle style = ChartStyle.HOUSE.withArms(ARMS);
        double[] x = {0, 1, 2};
        XYChart all = Curves.builder("all").style(style).yTitle("loss", Better.LOWER)
                .add(ARMS.get(0), x, x).add(ARMS.get(2), x, x).add(ARMS.get(4), x, x).build();
        XYChart some = Curves.builder("one").style(style).yTitle("loss", Better.LOWER).add(ARMS.get(4), x, x).add("extra", x, x).build();
        assertEquals(all.getSeriesMap().get(ARMS.get(4)).getLineColor(), some.getSeriesMap().get(ARMS.get(4)).getLineColor());
        assertEquals(ChartStyle.color(4), some.getSeriesMap().get(ARMS.get(4)).getLineColor());
        // A series outside the arm list takes a colour after the arms', never one of theirs.
        assertEquals(ChartStyle.color(ARMS.size()), some.getSeriesMap().get("extra").getLineColor());
    }

    /** XChart keeps the painted plot's and legend's bounds in protected fields of its internal Chart. */
    private static Rectangle2D bounds(Chart<?, ?> chart, String part) throws Exception {
        Field f = Chart.class.getDeclaredField(part);
        f.setAccessible(true);
        Object p = f.get(chart);
        Method m = p.getClass().getMethod("getBounds");
        m.setAccessible(true);
        return (Rectangle2D) m.invoke(p);
    }

    private static List<Double> xTicks(XYChart chart) throws Exception {
        Field f = Chart.class.getDeclaredField("axisPair");
        f.setAccessible(true);
        Object axisPair = f.get(chart);
        Method xAxis = axisPair.getClass().getDeclaredMethod("getXAxis");
        xAxis.setAccessible(true);
        Object axis = xAxis.invoke(axisPair);
        Method calculator = axis.getClass().getDeclaredMethod("getAxisTickCalculator");
        calculator.setAccessible(true);
        Object calc = calculator.invoke(axis);
        Method labels = calc.getClass().getMethod("getTickLabels");
        labels.setAccessible(true);
        List<Double> out = new ArrayList<>();
        for (Object label : (List<?>) labels.invoke(calc)) out.add(Double.parseDouble(String.valueOf(label).replace(",", "")));
        return out;
    }
}
