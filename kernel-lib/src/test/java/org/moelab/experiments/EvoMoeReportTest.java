package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.models.EvoMoE;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.viz.ChartLayout;

class EvoMoeReportTest {
    static EvoMoeArmResult result(EvoMoeExperiment.Arm arm, double[] loss, double[] active) {
        return result(arm, loss, active, new double[][] {{1}});
    }

    static EvoMoeArmResult result(EvoMoeExperiment.Arm arm, double[] loss, double[] active, double[][] expertBySource) {
        double[] steps = {10, 20, 30, 40}, flops = {1e9, 2e9, 3e9, 4e9}, nan = {Double.NaN, 0.1, 0.05, 0.02};
        double[] cumulative = new double[active.length];
        for (int i = 0; i < active.length; i++) cumulative[i] = (i + 1) * 1e8 * active[i];
        return new EvoMoeArmResult(arm, 1, active, cumulative, steps, loss, flops, nan, nan, nan, expertBySource, new double[] {1, 2, 3, 4}, 1, 100, null, null);
    }

    @Test
    void stepsToTargetAndVerdictComeFromTheNumbers() {
        double[] dtsActive = new double[40];
        for (int i = 0; i < 40; i++) dtsActive[i] = i < 8 ? 1 : i < 28 ? 4 - 3.0 * (i - 8) / 20 : 1;
        var sw = result(EvoMoeExperiment.Arm.SWITCH, new double[] {2.0, 1.5, 1.3, 1.2}, new double[40]);
        var evo = result(EvoMoeExperiment.Arm.EVOMOE, new double[] {1.9, 1.2, 1.1, 1.0}, dtsActive);
        assertEquals(20, evo.stepsTo(1.2));
        assertEquals(2e9, evo.flopsTo(1.2));
        assertTrue(Double.isNaN(evo.stepsTo(0.5)));
        EvoMoeSettings s = SettingsCodec.with(EvoMoeSettings.quick(), "steps", 40, "evalEvery", 10);
        EvoMoE schedule = EvoMoE.builder().vocab(33).totalSteps(40).build();
        Verdict v = EvoMoeReport.verdict(List.of(sw, evo), s, schedule);
        assertTrue(v.holds(), v.toString());
        assertEquals(2.0, v.parts().get(0).measured().get("step speed-up (Switch/EvoMoE)"), 1e-9);
        var slow = result(EvoMoeExperiment.Arm.EVOMOE, new double[] {2.0, 1.6, 1.4, 1.3}, dtsActive);
        assertFalse(EvoMoeReport.verdict(List.of(sw, slow), s, schedule).holds());
        ResultsTable runs = EvoMoeReport.table(List.of(sw, evo));
        assertEquals(17, runs.row(1).size());
        // The second round's metrics: the checkpoint at half the run (step 20 of 40), and the mean over the sources
        // without a transition (counter 1, Markov 2, Dyck 4; copy 3 left out).
        assertEquals(1.2, ((Number) runs.get(1, "val loss at N/2")).doubleValue(), 1e-12);
        assertEquals(7 / 3.0, ((Number) runs.get(1, "loss without copy")).doubleValue(), 1e-12);
    }

    /** A sweep point trains one arm alone; the dense FFN alone has no routing, so nothing to draw a flip rate from. */
    @Test
    void aDenseArmAloneMakesAReportWithoutTheFlipRateChart() {
        double[] steps = {10, 20, 30, 40}, none = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        var dense = new EvoMoeArmResult(EvoMoeExperiment.Arm.DENSE, 1, new double[40], new double[40], steps, new double[] {2.0, 1.5, 1.3, 1.2},
                new double[] {1e9, 2e9, 3e9, 4e9}, none, none, none, new double[0][], new double[] {1, 2, 3, 4}, 1, 100, null, null);
        EvoMoeSettings s = SettingsCodec.with(EvoMoeSettings.quick(), "steps", 40, "evalEvery", 10);
        ExperimentReport report = EvoMoeReport.report(List.of(dense), s, EvoMoE.builder().vocab(33).totalSteps(40).build());
        assertFalse(report.chartNames().contains("flipRate"), report.chartNames().toString());
        assertTrue(report.chartNames().contains("lossVsSteps"));
    }

    /**
     * Issue 20's rules for a report's charts: each value axis says which way is better (loss ↓; the active-expert
     * count, the schedule and the flip rate are descriptive, so no arrow), no legend covers its plot, and an arm has
     * one colour in every chart.
     */
    @Test
    void theReportsChartsSayWhichWayIsBetterKeepLegendsOutsideAndArmsInOneColour() {
        double[] dtsActive = new double[40];
        for (int i = 0; i < 40; i++) dtsActive[i] = i < 8 ? 1 : 2;
        var sw = result(EvoMoeExperiment.Arm.SWITCH, new double[] {2.0, 1.5, 1.3, 1.2}, new double[40]);
        var evo = result(EvoMoeExperiment.Arm.EVOMOE, new double[] {1.9, 1.2, 1.1, 1.0}, dtsActive,
                new double[][] {{0.7, 0.1, 0.2, 0.5}, {0.3, 0.9, 0.8, 0.5}});
        EvoMoeSettings s = SettingsCodec.with(EvoMoeSettings.quick(), "steps", 40, "evalEvery", 10);
        ExperimentReport report = EvoMoeReport.report(List.of(evo, sw), s, EvoMoE.builder().vocab(33).totalSteps(40).build());
        Map<String, String> arrows = Map.of("lossVsSteps", "↓", "lossVsFlops", "↓", "activeExperts", "", "schedule", "", "flipRate", "");
        assertTrue(report.chartNames().containsAll(arrows.keySet()) && report.chartNames().contains("expertBySource"), report.chartNames().toString());
        for (String name : report.chartNames()) {
            Chart<?, ?> chart = report.chart(name);
            if (arrows.containsKey(name)) {
                String title = chart.getYAxisTitle();
                boolean up = title.contains("↑"), down = title.contains("↓");
                assertEquals(arrows.get(name), up ? "↑" : down ? "↓" : "", name + ": y axis '" + title + "'");
            }
            ChartLayout layout = ChartLayout.painted(chart);
            Rectangle2D plot = layout.plot(), legend = layout.legend();
            assertFalse(legend.intersects(plot), name + ": legend " + legend + " over plot " + plot);
        }
        for (String arm : List.of(EvoMoeExperiment.Arm.SWITCH.label, EvoMoeExperiment.Arm.EVOMOE.label)) {
            var colour = ((XYChart) report.chart("lossVsSteps")).getSeriesMap().get(arm).getLineColor();
            for (String name : List.of("lossVsFlops", "activeExperts")) {
                assertEquals(colour, ((XYChart) report.chart(name)).getSeriesMap().get(arm).getLineColor(), arm + " in " + name);
            }
        }
    }
}
