package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.experiments.Papers;
import org.moelab.report.ResultsTable;
import org.moelab.lab.Preset;

/**
 * The paper's verdict from a sweep's points (no training: the metrics are given), on MoM's headline comparison
 * (MOM against LINEAR_ATTENTION on the accuracy at the most key-value pairs, higher is better).
 */
class HeadlineVerdictTest {
    private static final String BASE = Papers.spec("mom", Preset.QUICK).toText();

    /** Points of MOM and LINEAR_ATTENTION in one configuration, one per given value, seeds 1, 2, .... */
    private static List<PointResult> points(Map<String, String> overrides, double[] mom, double[] linear) {
        List<PointResult> out = new ArrayList<>();
        for (int i = 0; i < mom.length; i++) out.add(point("MOM", i + 1, overrides, mom[i]));
        for (int i = 0; i < linear.length; i++) out.add(point("LINEAR_ATTENTION", i + 1, overrides, linear[i]));
        return out;
    }

    private static PointResult point(String arm, long seed, Map<String, String> overrides, double hardest) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("acc P=4", 0.99); // an easier column: the verdict must take the last "acc P=<n>" one
        metrics.put("acc P=8", hardest);
        metrics.put("acc P=8 (train)", 0.5); // starts like the headline metric but is another column: never taken
        return PointResult.ok(new SweepPoint(BASE, arm, seed, overrides), "h" + arm + seed, metrics, 1);
    }

    @Test
    void aDifferenceIsCalledOnlyWhenItsIntervalExcludesZero() {
        List<PointResult> all = new ArrayList<>();
        all.addAll(points(Map.of("learningRate", "0.01"), new double[] {0.80, 0.82, 0.81}, new double[] {0.20, 0.22, 0.21}));
        all.addAll(points(Map.of("learningRate", "0.02"), new double[] {0.10, 0.12, 0.11}, new double[] {0.50, 0.52, 0.51}));
        all.addAll(points(Map.of("learningRate", "0.03"), new double[] {0.1, 0.9, 0.5}, new double[] {0.2, 0.8, 0.4}));
        all.addAll(points(Map.of("learningRate", "0.04"), new double[] {0.9}, new double[] {0.1, 0.2}));
        ResultsTable v = HeadlineVerdict.of("mom", all, false);
        assertEquals(4, v.rowCount());
        assertEquals("acc P=8", v.get(0, "metric"));
        assertEquals(HeadlineVerdict.SUPPORTED, v.get(0, "verdict"));
        double[] d = Stats.welchDifference95(new double[] {0.80, 0.82, 0.81}, new double[] {0.20, 0.22, 0.21});
        assertEquals(d[1], ((Number) v.get(0, "95% CI low")).doubleValue(), 0.0);
        assertEquals(HeadlineVerdict.CONTRADICTED, v.get(1, "verdict"));
        assertEquals(HeadlineVerdict.NOT_CALLED, v.get(2, "verdict"));
        assertEquals(HeadlineVerdict.TOO_FEW, v.get(3, "verdict"));
        assertTrue(v.toMarkdown().contains("MoM recalls more"), v.toMarkdown());
    }

    @Test
    void tunedArmsAreComparedAcrossTheirOwnValuesAndMissingArmsGiveNoVerdict() {
        List<PointResult> tuned = new ArrayList<>(points(Map.of("learningRate", "0.01"), new double[] {0.80, 0.82}, new double[0]));
        tuned.addAll(points(Map.of("learningRate", "0.03"), new double[0], new double[] {0.20, 0.22}));
        ResultsTable v = HeadlineVerdict.of("mom", tuned, true);
        assertEquals(1, v.rowCount());
        assertEquals("tuned per arm", v.get(0, "configuration"));
        assertEquals(HeadlineVerdict.SUPPORTED, v.get(0, "verdict"));

        ResultsTable none = HeadlineVerdict.of("mom", points(Map.of(), new double[] {0.8, 0.9}, new double[0]), false);
        assertEquals(0, none.rowCount());
        assertTrue(none.toMarkdown().contains("no verdict") && none.toMarkdown().contains("LINEAR_ATTENTION"), none.toMarkdown());
    }

    /** LoRA-Mixer's baseline has no router: SBL's metric at the largest N is compared with the multi-task LoRA's plain one. */
    @Test
    void aBaselineWithoutTheSweptQuantityIsReadOnItsOwnMetric() {
        String base = Papers.spec("lora-mixer", Preset.QUICK).toText();
        List<PointResult> all = new ArrayList<>();
        double[] sbl = {0.60, 0.62, 0.61}, multi = {0.40, 0.41, 0.42};
        for (int seed = 1; seed <= 3; seed++) {
            Map<String, Double> routed = new LinkedHashMap<>();
            routed.put("macro EM [router N=48]", 0.1);
            routed.put("macro EM [router N=1200]", sbl[seed - 1]);
            all.add(PointResult.ok(new SweepPoint(base, "SBL", seed, Map.of()), "s" + seed, routed, 1));
            all.add(PointResult.ok(new SweepPoint(base, "MULTI_TASK_LORA", seed, Map.of()), "m" + seed, Map.of("macro EM", multi[seed - 1]), 1));
        }
        ResultsTable v = HeadlineVerdict.of("lora-mixer", all, false);
        assertEquals(1, v.rowCount(), v.toMarkdown());
        assertEquals("macro EM [router N=1200] vs macro EM", v.get(0, "metric"));
        assertEquals(Stats.mean(sbl) - Stats.mean(multi), ((Number) v.get(0, "difference")).doubleValue(), 1e-12);
        assertEquals(HeadlineVerdict.SUPPORTED, v.get(0, "verdict"));
    }
}
