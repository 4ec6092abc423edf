package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Charts people read at a glance: the legend never covers the plot, step axes tick at round numbers, a series name
 * keeps its colour in every chart, and the value axis says which way is better. Layout is read from XChart after the
 * chart is painted ({@link ChartLayout}).
 */
class ChartLegibilityTest {
    private static final List<String> ARMS = List.of("softmax attention", "linear attention (1 memory)", "Gated DeltaNet (1 memory)",
            "Gated DeltaNet, d_v × 2", "MoM (4 memories, top-2, shared)", "MoM, oracle routing");

    /** Six long-named arms whose curves fill the top-right corner, where an inside legend used to sit. */
    private static XYChart sixCurves(double[] steps) {
        Curves.Builder b = Curves.builder("Training loss").xTitle("step").yTitle("cross-entropy (nats)", Better.LOWER);
        for (int a = 0; a < ARMS.size(); a++) {
            double[] y = new double[steps.length];
            for (int i = 0; i < steps.length; i++) y[i] = 5 * Math.exp(-steps[i] / (100.0 + 60 * a)) + 0.2 * a;
            b.add(ARMS.get(a), steps, y);
        }
        return b.build();
    }

    /** 0, every, 2 every, ... up to {@code last}: the steps of a run evaluated every {@code every} steps. */
    private static double[] steps(int first, int every, int last) {
        double[] x = new double[(last - first) / every + 1];
        for (int i = 0; i < x.length; i++) x[i] = first + (double) i * every;
        return x;
    }

    /** One chart of every kind org.moelab.viz makes, each with a legend. */
    private static Map<String, Chart<?, ?>> everyChartKind() {
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put("curves", sixCurves(steps(0, 1, 599)));
        charts.put("curves, log y, references, raw", Curves.builder("log").yTitle("loss", Better.LOWER).add(ARMS.get(0), new double[] {4, 3, 2, 1.5})
                .add(ARMS.get(5), new double[] {4, 2, 1, 0.5}).reference("dense baseline", 1.2).smoothing(0.5).showRaw().logY().build());
        charts.put("sweep lines", Sweeps.builder("accuracy vs P").parameter("pairs P", List.of(4, 8, 16)).yTitle("query accuracy", Better.HIGHER)
                .add(ARMS.get(0), new double[] {0.99, 0.98, 0.97}).add(ARMS.get(4), new double[] {0.9, 0.8, 0.5}).reference("chance", 0.01).build());
        charts.put("sweep bars", Sweeps.builder("FD").parameter("arm", List.of("TC", "EC")).yTitle("FD", Better.LOWER).bars()
                .add("CFG 1.0", new double[] {40, 35}, new double[] {2, 3}).add("CFG 1.5", new double[] {30, 28}).build());
        charts.put("heat map", HeatMaps.builder("share", new double[][] {{0.5, 0.5}, {0.9, 0.1}}).build());
        charts.put("diverging heat map, many cells", HeatMaps.builder("difference", new double[12][16]).diverging().build());
        return charts;
    }

    @Test
    void theLegendLiesOutsideThePlotForEveryChartKind() {
        for (Map.Entry<String, Chart<?, ?>> e : everyChartKind().entrySet()) {
            Chart<?, ?> chart = e.getValue();
            assertTrue(chart.getStyler().isLegendVisible(), e.getKey());
            ChartLayout layout = ChartLayout.painted(chart);
            Rectangle2D plot = layout.plot(), legend = layout.legend();
            assertTrue(plot.getWidth() > 300 && legend.getWidth() > 10 && legend.getHeight() > 10, e.getKey() + ": plot " + plot + ", legend " + legend);
            assertFalse(legend.intersects(plot), e.getKey() + ": the legend " + legend + " covers part of the plot " + plot);
            assertTrue(new Rectangle2D.Double(0, 0, chart.getWidth(), chart.getHeight()).contains(legend),
                    e.getKey() + ": the legend " + legend + " is cut off by the chart's edge");
        }
    }

    /** The check above can fail: XChart's default (inside, top right) puts the legend on the curves. */
    @Test
    void anInsideLegendIsCaught() {
        XYChart chart = sixCurves(steps(0, 1, 599));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        ChartLayout layout = ChartLayout.painted(chart);
        assertTrue(layout.legend().intersects(layout.plot()), layout.legend() + " vs " + layout.plot());
    }

    @Test
    void stepAxesTickAtRoundNumbers() {
        // every step of a run; a run evaluated every 86 steps (XChart ticked 0, 86, 172, ...); checkpoints 10..40; and
        // three steps, where XChart would tick every 0.2 step.
        for (double[] x : List.of(steps(0, 1, 599), steps(0, 1, 1290), steps(0, 86, 1290), steps(10, 10, 40), steps(0, 1, 2), steps(100, 100, 20_000))) {
            List<Double> ticks = ChartLayout.painted(sixCurves(x)).xTicks();
            String what = x.length + " steps " + x[0] + ".." + x[x.length - 1] + ": ticks " + ticks;
            assertTrue(ticks.size() >= 3, what);
            double spacing = ticks.get(1) - ticks.get(0);
            double decade = Math.pow(10, Math.floor(Math.log10(spacing) + 1e-9));
            double mantissa = Math.round(spacing / decade * 1e6) / 1e6;
            assertTrue(mantissa == 1 || mantissa == 2 || mantissa == 5, what + ": spacing " + spacing + " is not 1, 2 or 5 × 10^k");
            assertTrue(spacing >= 1, what + ": ticks between whole steps");
            for (double t : ticks) assertEquals(0, Math.IEEEremainder(t, spacing), 1e-9, what + ": tick " + t + " is off the round grid");
        }
    }

    @Test
    void aFractionalXAxisMayTickBetweenWholeNumbers() {
        XYChart chart = Curves.builder("loss vs FLOPs").xTitle("GFLOP").yTitle("loss", Better.LOWER)
                .add("a", new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {3, 2, 1.5, 1.2}).build();
        List<Double> ticks = ChartLayout.painted(chart).xTicks();
        assertTrue(ticks.stream().anyMatch(t -> t != Math.rint(t)), ticks.toString());
    }

    @Test
    void aSeriesNameKeepsItsColourInEveryChartWhateverTheOrder() {
        double[] x = {0, 1, 2};
        List<String> names = List.of("keep-colour A", "keep-colour B", "keep-colour C", "keep-colour D");
        Curves.Builder forward = Curves.builder("forward").yTitle("loss", Better.LOWER);
        for (String name : names) forward.add(name, x, x);
        Sweeps.Builder backward = Sweeps.builder("backward").parameter("k", List.of(1, 2, 3)).yTitle("loss", Better.LOWER);
        List<String> reversed = new ArrayList<>(names);
        Collections.reverse(reversed);
        for (String name : reversed) backward.add(name, x);
        XYChart first = forward.build();
        CategoryChart second = backward.build();
        XYChart subset = Curves.builder("subset").yTitle("loss", Better.LOWER).add(names.get(3), x, x).add(names.get(1), x, x).build();
        List<Color> colours = new ArrayList<>();
        for (String name : names) {
            Color colour = first.getSeriesMap().get(name).getLineColor();
            colours.add(colour);
            assertEquals(colour, second.getSeriesMap().get(name).getLineColor(), name + " in the sweep (series added in reverse)");
            if (subset.getSeriesMap().containsKey(name)) assertEquals(colour, subset.getSeriesMap().get(name).getLineColor(), name + " in the subset");
        }
        assertEquals(names.size(), new HashSet<>(colours).size(), "distinct series of one chart get distinct colours: " + colours);
        // Built again, the same chart is painted in the same colours (rendering stays deterministic within a kernel).
        XYChart again = forward.build();
        for (String name : names) assertEquals(first.getSeriesMap().get(name).getLineColor(), again.getSeriesMap().get(name).getLineColor());
    }

    @Test
    void anExperimentsArmsTakeTheirPlaceInItsArmList() {
        // Names no other test draws, so that the last check does not depend on which tests ran before.
        List<String> arms = List.of("arm list: dense", "arm list: top-1", "arm list: top-2", "arm list: oracle", "arm list: frozen");
        ChartStyle style = ChartStyle.HOUSE.withArms(arms);
        double[] x = {0, 1, 2};
        XYChart all = Curves.builder("all").style(style).yTitle("loss", Better.LOWER)
                .add(arms.get(0), x, x).add(arms.get(2), x, x).add(arms.get(4), x, x).build();
        XYChart some = Curves.builder("some").style(style).yTitle("loss", Better.LOWER).add("arm list: extra", x, x).add(arms.get(4), x, x).build();
        for (int a : new int[] {0, 2, 4}) assertEquals(ChartStyle.color(a), all.getSeriesMap().get(arms.get(a)).getLineColor(), arms.get(a));
        assertEquals(ChartStyle.color(4), some.getSeriesMap().get(arms.get(4)).getLineColor());
        // A series outside the arm list never takes the colour of an arm in the same chart.
        assertNotEquals(ChartStyle.color(4), some.getSeriesMap().get("arm list: extra").getLineColor());
        // Drawn without the style (a notebook's own chart), an arm keeps the colour its experiment's charts gave it.
        XYChart plain = Curves.builder("plain").yTitle("loss", Better.LOWER).add(arms.get(4), x, x).add(arms.get(0), x, x).build();
        assertEquals(ChartStyle.color(4), plain.getSeriesMap().get(arms.get(4)).getLineColor());
        assertEquals(ChartStyle.color(0), plain.getSeriesMap().get(arms.get(0)).getLineColor());
    }

    @Test
    void eightArmsNeedNoColourTwice() {
        List<String> arms = new ArrayList<>();
        for (int a = 0; a < 8; a++) arms.add("eight arms: " + a);
        Curves.Builder b = Curves.builder("eight").style(ChartStyle.HOUSE.withArms(arms)).yTitle("loss", Better.LOWER);
        for (String arm : arms) b.add(arm, new double[] {1, 2});
        XYChart chart = b.build();
        assertEquals(8, arms.stream().map(arm -> chart.getSeriesMap().get(arm).getLineColor()).distinct().count());
    }

    @Test
    void aSeriesCanBeDrawnInAnArmsColour() {
        List<String> arms = List.of("alias arms: attention", "alias arms: MoM");
        ChartStyle style = ChartStyle.HOUSE.withArms(arms).withArmColour("alias: MoM decoding", arms.get(1));
        XYChart chart = Curves.builder("decoding").style(style).yTitle("µs", Better.LOWER).add("alias: MoM decoding", new double[] {1, 2}).build();
        assertEquals(ChartStyle.color(1), chart.getSeriesMap().get("alias: MoM decoding").getLineColor());
    }

    @Test
    void theValueAxisSaysWhichWayIsBetter() {
        Map<String, Chart<?, ?>> charts = everyChartKind();
        assertTrue(charts.get("curves").getYAxisTitle().endsWith("↓ better)"), charts.get("curves").getYAxisTitle());
        assertTrue(charts.get("sweep lines").getYAxisTitle().endsWith("↑ better)"), charts.get("sweep lines").getYAxisTitle());
        String neither = Curves.builder("k").yTitle("active experts k", Better.NEITHER).add("k", new double[] {1, 2}).build().getYAxisTitle();
        assertEquals("active experts k", neither);
    }
}
