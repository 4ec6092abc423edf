package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.moelab.experiments.ExperimentSpec;
import org.moelab.experiments.Papers;
import org.moelab.lab.Preset;
import org.junit.jupiter.api.Test;

/** Each pre-registered second-round sweep is a valid plan, decides every rule of its paper, and is the command its page shows. */
class SecondRoundsTest {
    @Test
    void everyPlanValidatesAndHasTheArmsItsRulesCompare() {
        assertEquals(List.of("evomoe", "lora-mixer", "mom", "promoe", "smoe-dropout"), SecondRounds.papers());
        for (String paper : SecondRounds.papers()) {
            SweepPlan plan = SecondRounds.plan(paper, List.of("--master", "local[1]")).orElseThrow();
            plan.validate();
            assertTrue(plan.tuning(), paper + ": a second round tunes every arm");
            assertTrue(plan.seeds().size() >= 5, paper + ": at least 5 report seeds");
            assertEquals("local[1]", plan.master(), "extra options are appended");
            assertFalse(PlanVerdicts.rules(paper).isEmpty(), paper);
            for (PlanRule rule : PlanVerdicts.rules(paper)) {
                assertTrue(plan.arms().contains(rule.arm()) && plan.arms().contains(rule.baseline()), paper + " rule " + rule.id() + ": " + rule.arm() + " vs " + rule.baseline());
            }
        }
        assertTrue(SecondRounds.plan("unknown", List.of()).isEmpty());
    }

    /**
     * The names the plan relies on (its tuning metric, every rule's metrics) are names a trained point of each arm
     * really reports: a few steps of the quick preset per arm, because the names come from the report's runs table
     * (a dense arm with one row has no {@code [k=…]} suffix: the first SMoE-Dropout run stopped on exactly that).
     */
    @Test
    void everyArmReportsTheMetricsItsPlanReadsAfterAFewSteps() {
        for (String paper : SecondRounds.papers()) {
            SweepPlan plan = SecondRounds.plan(paper, List.of("--master", "local[1]")).orElseThrow();
            // The plan's own settings (ProMoE's data set, MoM's regime: the column names depend on them), then few steps.
            ExperimentSpec quick = Papers.spec(paper, Preset.QUICK);
            for (Map.Entry<String, String> fixed : plan.fixed().entrySet()) quick = quick.with(fixed.getKey(), fixed.getValue());
            // LoRA-Mixer trains in two stages (and its names depend on the router sizes, kept from the full preset the plan uses)
            if (paper.equals("lora-mixer")) {
                quick = quick.with("stage1Steps", "20").with("routerSteps", "10").with("stage1Examples", "32").with("testPerTask", "10")
                        .with("routerSizes", Papers.spec(paper, Preset.FULL).settings().get("routerSizes"));
            } else {
                quick = quick.with("steps", "60");
            }
            // Fewer samples where the experiment generates images: the names do not depend on how many.
            for (String key : List.of("samples", "realImages")) if (quick.settings().containsKey(key)) quick = quick.with(key, "20");
            if (quick.settings().containsKey("probePerClass")) quick = quick.with("probePerClass", "2");
            String base = quick.toText();
            for (String arm : plan.arms()) {
                Map<String, Double> metrics = new PaperPoints().measure(new SweepPoint(base, arm, 1, Map.of()));
                PointResult point = PointResult.ok(new SweepPoint(base, arm, 1, Map.of()), "test", metrics, 1);
                assertTrue(Double.isFinite(Sweeps.tuningValue(plan, point)), paper + " " + arm + ": the tuning metric '" + plan.metric() + "' matches none of " + metrics.keySet());
                for (PlanRule rule : PlanVerdicts.rules(paper)) {
                    if (rule.arm().equals(arm)) assertTrue(metrics.containsKey(rule.metric()), paper + " rule " + rule.id() + ": " + arm + " has no '" + rule.metric() + "' in " + metrics.keySet());
                    if (rule.baseline().equals(arm)) assertTrue(metrics.containsKey(rule.baselineMetric()), paper + " rule " + rule.id() + ": " + arm + " has no '" + rule.baselineMetric() + "' in " + metrics.keySet());
                }
            }
        }
    }

    @Test
    void eachPageShowsTheRegisteredCommand() throws IOException {
        for (String paper : SecondRounds.papers()) {
            String page = Files.readString(Path.of("..", "papers", paper + ".md")).replace("\\\n", " ").replaceAll("[ \\t]+", " ");
            String command = SecondRounds.command(paper).orElseThrow();
            assertTrue(page.contains(command), "papers/" + paper + ".md should show " + command);
        }
    }
}
