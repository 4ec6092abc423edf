package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tuning protocol's choice per arm, by one metric or by the best of the metrics a pattern matches. */
class TuningChoiceTest {
    private static SweepPlan plan(String metric) {
        return TinySweeps.plan("local[1]", Path.of("build/unused"), "1", "--tune", "lr=0.01,0.02", "--tune-seeds", "1001..1002", "--metric", metric, "--goal", "min");
    }

    /** Two seeds per value; each point has a loss per k (MOM is best at k=8, ATTENTION at k=2). */
    private static List<PointResult> tuning() {
        List<PointResult> out = new ArrayList<>();
        for (long seed : new long[] {1001, 1002}) {
            out.add(point("MOM", "0.01", seed, Map.of("loss [k=2]", 3.0, "loss [k=8]", 1.0)));
            out.add(point("MOM", "0.02", seed, Map.of("loss [k=2]", 2.0, "loss [k=8]", 1.5)));
            out.add(point("ATTENTION", "0.01", seed, Map.of("loss [k=2]", 0.5, "loss [k=8]", 2.0)));
            out.add(point("ATTENTION", "0.02", seed, Map.of("loss [k=2]", 0.7, "loss [k=8]", 0.9)));
        }
        return out;
    }

    private static PointResult point(String arm, String lr, long seed, Map<String, Double> metrics) {
        return PointResult.ok(new SweepPoint("spec", arm, seed, Map.of("learningRate", lr)), arm + lr + seed, metrics, 1);
    }

    @Test
    void aPatternChoosesByEachArmsBestMatchingMetric() {
        assertEquals(Map.of("ATTENTION", lr("0.01"), "MOM", lr("0.01")), Sweeps.choose(plan("loss \\[k=.*\\]"), tuning()));
    }

    @Test
    void anExactNameChoosesByThatMetricAlone() {
        assertEquals(Map.of("ATTENTION", lr("0.01"), "MOM", lr("0.02")), Sweeps.choose(plan("loss [k=2]"), tuning()));
    }

    private static Map<String, String> lr(String value) {
        return Map.of("learningRate", value);
    }

    /** Two tuned settings: every arm is tuned over their product and gets its own best combination. */
    @Test
    void twoTunedSettingsAreChosenTogetherPerArm() {
        SweepPlan plan = TinySweeps.plan("local[1]", Path.of("build/unused"), "1", "--tune", "lr=0.01,0.02", "--tune", "batch=4,8",
                "--tune-seeds", "1001", "--metric", "loss", "--goal", "min");
        assertEquals(List.of(Map.of("learningRate", "0.01", "batch", "4"), Map.of("learningRate", "0.01", "batch", "8"),
                Map.of("learningRate", "0.02", "batch", "4"), Map.of("learningRate", "0.02", "batch", "8")), plan.tuneConfigurations());
        List<PointResult> tuning = new ArrayList<>();
        for (Map<String, String> c : plan.tuneConfigurations()) {
            double lr = Double.parseDouble(c.get("learningRate")), batch = Double.parseDouble(c.get("batch"));
            // MOM is best at the larger rate and batch, ATTENTION at the smaller rate and the larger batch.
            tuning.add(PointResult.ok(new SweepPoint("spec", "MOM", 1001, c), "m" + c, Map.of("loss", 1 / lr / batch), 1));
            tuning.add(PointResult.ok(new SweepPoint("spec", "ATTENTION", 1001, c), "a" + c, Map.of("loss", lr - batch / 1000), 1));
        }
        assertEquals(Map.of("MOM", Map.of("learningRate", "0.02", "batch", "8"), "ATTENTION", Map.of("learningRate", "0.01", "batch", "8")), Sweeps.choose(plan, tuning));
        assertThrows(IllegalArgumentException.class, () -> TinySweeps.plan("local[1]", Path.of("build/unused"), "1", "--tune", "lr=0.01", "--tune", "lr=0.02"));
    }

    @Test
    void aMetricNobodyHasIsNamedWithTheMetricsThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweeps.choose(plan("accuracy"), tuning()));
        assertTrue(e.getMessage().contains("'accuracy'") && e.getMessage().contains("loss [k=2]"), e.getMessage());
    }
}
