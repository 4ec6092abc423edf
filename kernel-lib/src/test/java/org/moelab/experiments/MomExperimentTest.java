package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.moelab.models.CausalTransformer;
import org.moelab.report.ExperimentReport;

/** The recall study end to end at toy size: every arm trains, evaluates, reports and gets a verdict. */
class MomExperimentTest {
    static MomSettings tiny() {
        return new MomSettings(40, 16, new int[] {2, 4}, new int[] {2, 4}, 16, 1, 1, 4, 4, 2, 0, 3, 4, 3e-3f, 8,
                List.of(1L), List.of(MomExperiment.Arm.values()), org.moelab.models.MoM.RouterInput.HIDDEN);
    }

    @Test
    void everyArmRunsAndTheReportIsComplete() {
        MomExperiment experiment = new MomExperiment(tiny());
        List<MomExperiment.ArmResult> results = experiment.runAll();
        assertEquals(MomExperiment.Arm.values().length, results.size());
        for (MomExperiment.ArmResult r : results) {
            for (int p : new int[] {2, 4}) assertTrue(r.accuracyAt(p) >= 0 && r.accuracyAt(p) <= 1, r.toString());
            assertTrue(r.parameters() > 0);
            if (r.arm().isMoM()) {
                assertEquals(1.0, java.util.Arrays.stream(r.tokenShare()).sum(), 1e-6, "token shares sum to 1");
                assertTrue(r.queryHitRate() >= 0 && r.queryHitRate() <= 1);
            }
        }
        ExperimentReport report = experiment.report(results);
        assertEquals(MomExperiment.Arm.values().length, report.table("runs").rowCount());
        assertTrue(report.verdict().rule().contains("MoM acc P=4"), report.verdict().rule());
        assertTrue(report.toHtml().contains("<img"));
    }

    @Test
    void activatedStateFollowsTheBookkeeping() {
        MomExperiment e = new MomExperiment(tiny());
        long one = 4 * 4;
        assertEquals(one, e.activatedState(MomExperiment.Arm.GATED_DELTANET));
        assertEquals(3 * one, e.activatedState(MomExperiment.Arm.MOM));
        assertEquals(3 * one, e.activatedState(MomExperiment.Arm.GDN_EXPANDED));
        assertEquals(2 * one, e.activatedState(MomExperiment.Arm.MOM_NO_SHARED));
        assertEquals(1 - 1.0 / 6, e.chanceHitRate(MomExperiment.Arm.MOM), 1e-12);
        CausalTransformer mom = e.model(MomExperiment.Arm.MOM, 1);
        assertEquals(1, mom.sublayers(org.moelab.models.MoM.class).size());
        assertEquals(3 * one, mom.sublayers(org.moelab.models.MoM.class).get(0).activatedStateFloats());
    }

    @Test
    void oracleRoutesAValueWithItsKey() {
        MomExperiment e = new MomExperiment(tiny());
        int[] tokens = {3, 25, 7, 30, 3, 9};   // keys are [1, 20): 3 and 7 are keys, 25 and 30 values
        int[] m = e.oracleMemories(tokens, 1, 6);
        assertEquals(m[0], m[1]);
        assertEquals(m[2], m[3]);
        assertEquals(m[0], m[4]);
    }

    @Test
    void decodingCostTableHasEveryLength() {
        List<MomDecoding.Point> points = MomDecoding.measure(new int[] {16, 256}, 16, 1, 4, 4, 1);
        assertEquals(2, points.size());
        assertEquals(points.get(0).momFloats(), points.get(1).momFloats(), "MoM's state does not grow");
        assertEquals(2L * (256 + 1 + 3 * 4) * 16, points.get(1).attentionFloats(), "filled, warm-up step, three rounds of timed steps");
        assertEquals(2, MomDecoding.table(points).rowCount());
    }

    /** Notebook 02 draws the decoding cost after the MQAR charts: MoM and attention keep their arms' colours there. */
    @Test
    void theDecodingChartsDrawMoMAndAttentionInTheirArmsColours() {
        var points = List.of(new MomDecoding.Point(256, 3, 5, 1000, 2000), new MomDecoding.Point(512, 3, 9, 1000, 4000));
        var arms = MomExperiment.ARM_COLOURS.colors(List.of(MomExperiment.Arm.MOM.label, MomExperiment.Arm.ATTENTION.label));
        XYChart time = (XYChart) MomDecoding.timeChart(points), memory = (XYChart) MomDecoding.memoryChart(points);
        assertEquals(arms.get(0), time.getSeriesMap().get("MoM (recurrent)").getLineColor());
        assertEquals(arms.get(1), time.getSeriesMap().get("softmax attention + KV cache").getLineColor());
        assertEquals(arms.get(0), memory.getSeriesMap().get("MoM state").getLineColor());
        assertEquals(arms.get(1), memory.getSeriesMap().get("attention KV cache").getLineColor());
    }

    @Test
    void theRouterInputSettingReachesEveryMomLayer() {
        MomSettings s = SettingsCodec.with(tiny(), "routerInput", org.moelab.models.MoM.RouterInput.SHORT_CONV, "arms", List.of(MomExperiment.Arm.MOM));
        MomExperiment experiment = new MomExperiment(s);
        List<MomExperiment.ArmResult> results = experiment.runAll();
        assertEquals(1, results.size());
        for (var layer : results.get(0).model().sublayers(org.moelab.models.MoM.class)) {
            assertTrue(layer.toString().contains("router on a short conv"), layer.toString());
        }
        assertTrue(experiment.report(results).tableNames().contains("runs"));
    }
}
