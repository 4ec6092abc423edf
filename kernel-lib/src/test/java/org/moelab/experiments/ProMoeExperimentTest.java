package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.data.ImageDataset;
import org.moelab.data.LabelledImages;
import org.moelab.eval.ShapesEvaluator;
import org.moelab.lab.Preset;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.viz.ChartExport;

/** The ProMoE experiment end to end at toy size, its determinism, and the verdict's noise rule. */
class ProMoeExperimentTest {
    private static ProMoeSettings toy() {
        return SettingsCodec.with(ProMoeSettings.quick(), "steps", 12, "evalEvery", 6, "samples", 20, "realImages", 60, "eulerSteps", 3);
    }

    @Test
    void runsEveryQuickArmAndReportsTablesChartsGridsAndAVerdict() {
        ProMoeExperiment experiment = new ProMoeExperiment(toy());
        List<ProMoeArmResult> results = experiment.runAll();
        assertEquals(3, results.size());
        ExperimentReport report = experiment.report(results);
        assertEquals(3, report.table("runs").rowCount());
        for (String chart : report.chartNames()) assertTrue(ChartExport.toPng(report.chart(chart)).length > 0, chart);
        assertTrue(report.chartNames().containsAll(List.of("loss", "specialisation", "fd", "liveExperts", "expertByClass:PROMOE", "expertByClass:TOKEN_CHOICE")),
                report.chartNames().toString());
        assertNotNull(report.verdict());
        for (ProMoeArmResult r : results) {
            assertEquals(12, r.mseCurve().length);
            for (float w : List.of(1f, 2f)) {
                assertTrue(r.fdAt(w) > 0 && Double.isFinite(r.fdAt(w)), r.arm() + " FD " + r.fdAt(w));
                assertTrue(r.accuracyAt(w) >= 0 && r.accuracyAt(w) <= 1);
                BufferedImage grid = ProMoeReport.sampleGrid(r, w);
                assertTrue(grid.getWidth() > 6 * 16 && grid.getHeight() >= 10 * 16, "grid renders 10 classes × 6 samples");
            }
            if (r.arm() == ProMoeExperiment.Arm.DENSE) {
                assertTrue(Double.isNaN(r.jsd()));
            } else {
                assertTrue(r.jsd() >= 0 && r.mutualInformation() >= 0 && r.subspaceOverlap() > 0 && r.subspaceOverlap() <= 1);
                assertEquals(4, r.expertByClass().length);
                assertEquals(2, r.liveExperts().length, "a checkpoint every 6 of 12 steps");
            }
        }
        assertTrue(report.toHtml().contains("ProMoE"));
    }

    @Test
    void runsOnTextures10WithItsEvaluatorAndReportsMiPerLayerAndTokenType() {
        ProMoeSettings s = SettingsCodec.with(toy(), "dataset", "TEXTURES10", "arms", "DENSE,PROMOE");
        assertEquals(ImageDataset.TEXTURES10, s.dataset());
        ProMoeExperiment experiment = new ProMoeExperiment(s);
        LabelledImages real = experiment.realImages();
        assertTrue(ShapesEvaluator.shipped(ImageDataset.TEXTURES10).conditionalAccuracy(real.pixels(), real.labels()) > 0.95, "the FD reference is Textures-10");
        List<ProMoeArmResult> results = experiment.runAll();
        ExperimentReport report = experiment.report(results);
        assertTrue(report.title().contains("Textures-10"), report.title());
        ResultsTable runs = report.table("runs");
        List<String> routingColumns = List.of(ProMoeRoutingProbe.MI_FOREGROUND, ProMoeRoutingProbe.MI_BACKGROUND, ProMoeRoutingProbe.MI_FOREGROUND_CHANCE,
                ProMoeRoutingProbe.MI_BACKGROUND_CHANCE, "MI (layer 1)", "MI fg (layer 1)", "MI bg (layer 1)", "MI (layer 3)", "MI fg (layer 3)", "MI bg (layer 3)");
        assertTrue(runs.columns().containsAll(routingColumns), runs.columns().toString());
        assertTrue(runs.columns().containsAll(List.of("JSD(0-4 vs 5-9)", "MI(class;expert)", "FD (CFG 1.0)")), "the first round's columns stay");
        assertTrue(report.table("summary").columns().containsAll(ProMoeRoutingProbe.TOKEN_TYPE_COLUMNS), report.table("summary").columns().toString());
        for (int row = 0; row < runs.rowCount(); row++) {
            boolean dense = runs.get(row, "arm").equals(ProMoeExperiment.Arm.DENSE.label);
            for (String c : routingColumns) {
                double v = (Double) runs.get(row, c);
                assertTrue(dense ? Double.isNaN(v) : v >= 0 && v <= Math.log(4) / Math.log(2) + 1e-9, runs.get(row, "arm") + " " + c + " = " + v);
            }
            if (!dense) {
                double perLayerMean = ((Double) runs.get(row, "MI (layer 1)") + (Double) runs.get(row, "MI (layer 3)")) / 2;
                assertEquals((Double) runs.get(row, "MI(class;expert)"), perLayerMean, 1e-12, "the all-token MI is the mean of the per-layer ones");
            }
        }
        for (ProMoeArmResult r : results) {
            assertEquals(ImageDataset.TEXTURES10, r.dataset());
            for (float w : List.of(1f, 2f)) assertTrue(r.fdAt(w) > 0 && Double.isFinite(r.fdAt(w)), r.arm() + " FD " + r.fdAt(w));
        }
        assertTrue(report.chartNames().contains("expertByClass:PROMOE"), report.chartNames().toString());
        for (String chart : report.chartNames()) assertTrue(ChartExport.toPng(report.chart(chart)).length > 0, chart);
    }

    @Test
    void presetsTrainOnShapes10AndAnUnknownDataSetIsNamedWithTheAllowedOnes() {
        assertEquals(ImageDataset.SHAPES10, ProMoeSettings.quick().dataset());
        assertEquals(ImageDataset.SHAPES10, ProMoeSettings.full().dataset());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingsCodec.with(ProMoeSettings.quick(), "dataset", "IMAGENET"));
        assertTrue(e.getMessage().contains("setting dataset = 'IMAGENET'") && e.getMessage().contains("SHAPES10, TEXTURES10"), e.getMessage());
        assertTrue(Papers.settings("promoe").stream().anyMatch(o -> o.name().equals("dataset") && o.range().equals("SHAPES10 | TEXTURES10")
                && o.quick().equals("SHAPES10") && o.full().equals("SHAPES10")));
    }

    @Test
    void theProbeSplitsTokensByTheGeneratorsForegroundMask() {
        for (ImageDataset dataset : ImageDataset.values()) {
            ProMoeRoutingProbe probe = new ProMoeRoutingProbe(dataset, 10, 24_711L);
            boolean[] foreground = probe.images().foregroundPatches(4);
            int count = 0;
            for (boolean f : foreground) count += f ? 1 : 0;
            double share = count / (double) foreground.length;
            System.out.printf(java.util.Locale.ROOT, "routing probe (10 per class): %s foreground token share %.3f%n", dataset.displayName, share);
            assertTrue(share > 0.05 && share < 0.95, dataset + " foreground share " + share);
        }
    }

    @Test
    void anArmIsDeterministicPerSeed() {
        ProMoeSettings s = SettingsCodec.with(toy(), "steps", 5, "evalEvery", 5, "samples", 10, "realImages", 40, "eulerSteps", 2);
        ProMoeArmResult a = new ProMoeExperiment(s).runArm(ProMoeExperiment.Arm.PROMOE, 4);
        ProMoeArmResult b = new ProMoeExperiment(s).runArm(ProMoeExperiment.Arm.PROMOE, 4);
        assertArrayEquals(a.mseCurve(), b.mseCurve());
        assertEquals(a.fd(), b.fd());
        assertEquals(a.jsd(), b.jsd());
    }

    @Test
    void everyArmBuilds() {
        ProMoeExperiment experiment = new ProMoeExperiment(toy());
        for (ProMoeExperiment.Arm arm : ProMoeExperiment.Arm.values()) assertNotNull(experiment.model(arm, 1), arm.label);
        assertEquals(ProMoeExperiment.Arm.values().length, ProMoeSettings.full().arms().size());
        assertEquals(3, ProMoeSettings.full().seeds().size());
        assertTrue(Papers.reproducible("promoe"));
        assertEquals(ProMoeSettings.quick(), ProMoeSettings.of(Preset.QUICK));
    }

    static ProMoeArmResult result(ProMoeExperiment.Arm arm, long seed, double fd, double fdNoise, double jsd, double mi) {
        return new ProMoeArmResult(arm, seed, new double[] {1, 0.5}, new double[] {1}, new double[] {4}, Map.of(1f, fd, 2f, fd), Map.of(1f, fdNoise, 2f, fdNoise),
                Map.of(1f, 0.5, 2f, 0.6), jsd, mi, 0.2, new double[0][], Map.of(), 1, 100, null,
                ImageDataset.SHAPES10, Map.of(), null);
    }

    @Test
    void verdictComesFromTheNumbersAndCallsSmallGapsNotShown() {
        ProMoeSettings s = ProMoeSettings.quick();
        var dense = result(ProMoeExperiment.Arm.DENSE, 1, 50, 1, Double.NaN, Double.NaN);
        var tc = result(ProMoeExperiment.Arm.TOKEN_CHOICE, 1, 48, 1, 0.01, 0.05);
        var clear = result(ProMoeExperiment.Arm.PROMOE, 1, 30, 1, 0.1, 0.3);
        Verdict holds = ProMoeReport.verdict(List.of(dense, tc, clear), s);
        assertTrue(holds.holds(), holds.toString());
        // a 1-point FD gap with bootstrap sd 1 per FD: 2·SE = 2.83 > 1, so not shown — and the rule says so
        var close = result(ProMoeExperiment.Arm.PROMOE, 1, 47, 1, 0.1, 0.3);
        Verdict within = ProMoeReport.verdict(List.of(dense, tc, close), s);
        assertFalse(within.holds());
        assertTrue(within.parts().get(0).holds(), "specialisation still holds");
        assertTrue(within.parts().get(1).rule().contains("not shown: within noise"), within.parts().get(1).rule());
        // with seeds, the spread decides: FD 40 ± 8 against 48 ± 0.5 over 3 seeds is inside 2·SE
        List<ProMoeArmResult> seeds = new java.util.ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            seeds.add(result(ProMoeExperiment.Arm.DENSE, seed, 50, 0.1, Double.NaN, Double.NaN));
            seeds.add(result(ProMoeExperiment.Arm.TOKEN_CHOICE, seed, 47.5 + 0.5 * seed, 0.1, 0.01, 0.05));
            seeds.add(result(ProMoeExperiment.Arm.PROMOE, seed, 32 + 8 * (seed - 1), 0.1, 0.1, 0.3));
        }
        assertFalse(ProMoeReport.verdict(seeds, s).parts().get(1).holds());
        var reversed = result(ProMoeExperiment.Arm.PROMOE, 1, 40, 1, 0.001, 0.01);
        Verdict noSpecialisation = ProMoeReport.verdict(List.of(dense, tc, reversed), s);
        assertFalse(noSpecialisation.parts().get(0).holds());
        assertFalse(ProMoeReport.verdict(List.of(dense, clear), s).holds(), "token choice missing: cannot be checked");
    }
}
