package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.report.ResultsTable;

/** The pre-registered rules decided from given points (no training): pairing by seed, thresholds, missing arms. */
class PlanVerdictsTest {
    private static PointResult point(String arm, String lr, long seed, Map<String, Double> metrics) {
        return PointResult.ok(new SweepPoint("spec", arm, seed, Map.of("learningRate", lr)), arm + seed, metrics, 1);
    }

    /** Switch and EvoMoE over 5 seeds; EvoMoE's N/2 loss is Switch's final loss + {@code halfGap} ± a seed wobble. */
    private static List<PointResult> evoMoe(double halfGap, double finalGap) {
        List<PointResult> out = new ArrayList<>();
        double[] wobble = {0.003, -0.002, 0.001, -0.001, 0.0};
        for (int s = 1; s <= 5; s++) {
            double seedLevel = 0.8 + 0.05 * s; // large seed-to-seed spread that pairing removes
            out.add(point("SWITCH", "3e-3", s, Map.of("val loss", seedLevel, "val loss at N/2", seedLevel + 0.04, "loss without copy", seedLevel)));
            out.add(point("EVOMOE", "1e-2", s, Map.of("val loss", seedLevel + finalGap + wobble[s - 1], "val loss at N/2", seedLevel + halfGap + wobble[s - 1],
                    "loss without copy", seedLevel + wobble[s - 1])));
        }
        return out;
    }

    private static String verdict(ResultsTable t, String rule) {
        for (int r = 0; r < t.rowCount(); r++) if (t.get(r, "rule").equals(rule)) return (String) t.get(r, "verdict");
        throw new AssertionError("no row for rule " + rule + " in\n" + t.toMarkdown());
    }

    @Test
    void pairedDifferencesRemoveTheSeedLevelAndDecideByThePlansThresholds() {
        ResultsTable t = PlanVerdicts.of("evomoe", evoMoe(-0.02, 0.01), true);
        assertEquals(3, t.rowCount(), "rules 1-3; the ablations' arms are not in this sweep");
        assertEquals(PlanRule.HOLDS, verdict(t, "1"));
        assertEquals("worse", verdict(t, "2"));
        assertEquals("no difference detected", verdict(t, "3"));
        double[] d = {-0.02 + 0.003, -0.02 - 0.002, -0.02 + 0.001, -0.02 - 0.001, -0.02};
        assertEquals(5, ((Number) t.get(0, "n pairs")).intValue());
        assertEquals(Stats.mean(d), ((Number) t.get(0, "mean")).doubleValue(), 1e-12);
        assertEquals(Stats.mean(d) + Stats.ci95HalfWidth(d), ((Number) t.get(0, "95% CI high")).doubleValue(), 1e-12);
        assertEquals(PlanRule.DOES_NOT_HOLD, verdict(PlanVerdicts.of("evomoe", evoMoe(0.02, 0.0), true), "1"));
        assertEquals(PlanRule.UNDECIDED, verdict(PlanVerdicts.of("evomoe", evoMoe(0.0, 0.0), true), "1"));
    }

    @Test
    void theNonInferiorityMarginAndTheOneSidedRulesUseTheirOwnThresholds() {
        assertEquals(PlanRule.HOLDS, PlanRule.atMost(0.02, 0).decide(-0.01, 0.015), "inside the +0.02 margin");
        assertEquals(PlanRule.UNDECIDED, PlanRule.atMost(0.02, 0).decide(-0.01, 0.03));
        assertEquals(PlanRule.HOLDS_WITHIN_MARGIN, PlanRule.atMost(0.02, 0).decide(0.001, 0.01), "the plan states holds first: non-inferior, though worse beyond doubt");
        assertEquals(PlanRule.DOES_NOT_HOLD, PlanRule.atMost(0.02, 0).decide(0.001, 0.03));
        assertEquals(PlanRule.HOLDS, PlanRule.above(-0.01, -0.01, PlanRule.UNDECIDED).decide(-0.009, 0.02));
        assertEquals(PlanRule.DOES_NOT_HOLD, PlanRule.above(-0.01, -0.01, PlanRule.UNDECIDED).decide(-0.05, -0.02));
        assertEquals("not shown", PlanRule.above(0, 0, "not shown").decide(-0.01, 0.02));
    }

    @Test
    void unpairedSeedsAreLeftOutAndAPaperWithoutAPlanHasNoRows() {
        List<PointResult> points = new ArrayList<>(evoMoe(-0.02, 0.0));
        points.add(point("SWITCH", "3e-3", 6, Map.of("val loss", 0.1, "val loss at N/2", 0.1, "loss without copy", 0.1)));
        assertEquals(5, ((Number) PlanVerdicts.of("evomoe", points, true).get(0, "n pairs")).intValue());
        assertEquals(0, PlanVerdicts.of("mom", points, true).rowCount());
        assertTrue(PlanVerdicts.of("evomoe", points, false).rowCount() == 0, "untuned: arms at different lr are different configurations, never paired");
    }
}
