package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.report.ResultsTable;

/**
 * LoRA-Mixer swept on embedded Spark: each point retrains stage 1 for its one arm, its metrics are named by router N
 * (or by row label where an arm has several), and the headline verdict compares SBL at the largest N with the
 * multi-task LoRA.
 */
class LoraMixerSweepTest {
    @TempDir
    Path out;

    @Test
    void tinyPointsTrainAndTheHeadlineComparesSblAtTheLargestNWithMultiTaskLora() {
        SweepPlan plan = SweepPlan.parse(List.of("lora-mixer", "--seeds", "1", "--arms", "SBL,MULTI_TASK_LORA,FFN_PLACEMENT", "--master", "local[1]",
                "--out", out.toString(), "--set", "stage1Examples=32", "--set", "stage1Steps=6", "--set", "routerSteps=3", "--set", "routerSizes=16,32",
                "--set", "testPerTask=6"));
        SweepReport report = Sweeps.run(plan);
        assertEquals(3, report.points().size(), "3 arms, one seed");
        for (PointResult r : report.points()) {
            assertTrue(r.succeeded(), r.toString());
            Map<String, Double> m = r.metrics();
            assertFalse(m.keySet().stream().anyMatch(k -> k.contains("train s")), "wall-clock columns are no metrics: " + m.keySet());
            List<String> expected = switch (r.point().arm()) {
                case "SBL" -> List.of("macro EM [router N=16]", "macro EM [router N=32]", "routing acc [router N=32]");
                case "MULTI_TASK_LORA" -> List.of("macro EM", "EM REV");
                default -> List.of("macro EM [arm=FFN placement oracle]", "macro EM [arm=FFN placement SBL top-2]");
            };
            assertTrue(m.keySet().containsAll(expected), r.point().arm() + ": " + expected + " among " + m.keySet());
        }
        ResultsTable verdict = report.verdict();
        assertEquals(1, verdict.rowCount(), verdict.toMarkdown());
        assertEquals("macro EM [router N=32] vs macro EM", verdict.get(0, "metric"));
        assertEquals("SBL vs MULTI_TASK_LORA", verdict.get(0, "comparison"));
        assertEquals(HeadlineVerdict.TOO_FEW, verdict.get(0, "verdict"), "one seed per arm: no interval");
    }
}
