package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.lab.LiveDisplay;

/** A point that throws is retried by Spark; one that keeps throwing becomes a failed row and the sweep finishes. */
class FaultTest {
    @TempDir
    Path out;

    /** Trains nothing: a point's metrics are a function of its seed, so the test is about the retry machinery only. */
    record Faulty(long flakySeed, long brokenSeed) implements PointRunner {
        @Override
        public Map<String, Double> measure(SweepPoint point) {
            int attempt = TaskContext.get().attemptNumber();
            if (point.seed() == flakySeed && attempt == 0) throw new IllegalStateException("flaky on its first attempt");
            if (point.seed() == brokenSeed) throw new IllegalStateException("broken on attempt " + attempt);
            return Map.of("value", point.seed() * 1.5);
        }
    }

    @Test
    void aFlakyPointIsRetriedAndABrokenOneBecomesAFailedRow() throws Exception {
        SweepPlan plan = TinySweeps.plan("local[2]", out, "1..3", "--arms", "MOM", "--max-failures", "3");
        java.util.List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        LiveDisplay collecting = initial -> new LiveDisplay.Handle() {
            @Override
            public void update(Object value) {}

            @Override
            public void finish(Object value) {
                shown.add(String.valueOf(value));
            }
        };
        SweepReport report;
        try (org.moelab.lab.Scope scope = LiveDisplay.using(collecting)) {
            report = Sweeps.run(plan, new Faulty(2, 3));
        }
        assertEquals(3, report.points().size());
        assertTrue(shown.stream().anyMatch(s -> s.contains("failed: arm MOM, seed 3 after 3 attempt(s): IllegalStateException: broken on attempt 2")),
                "the log names the failed point and its reason: " + shown);
        PointResult ok = report.points().get(0), flaky = report.points().get(1), broken = report.points().get(2);
        assertTrue(ok.succeeded() && flaky.succeeded(), "the sweep finished the good points");
        assertEquals(1, ok.attempts());
        assertEquals(2, flaky.attempts(), "retried once by Spark");
        assertEquals(3.0, flaky.metrics().get("value"));
        assertFalse(broken.succeeded());
        assertEquals(3, broken.attempts(), "spark.task.maxFailures attempts");
        assertTrue(broken.failure().contains("broken on attempt 2"), broken.failure());
        assertTrue(report.pointRows().toMarkdown().contains("broken on attempt 2"), "the failed row carries its message");
        assertEquals(1, ((Number) report.summary().get(0, "failed")).intValue());
        assertFalse(Files.exists(new ResultStore(out, report.folder().getFileName().toString()).file(broken.hash())), "failed points are not stored");
        assertEquals(6, report.tasksStarted(), "1 + 2 + 3 attempts");
    }
}
