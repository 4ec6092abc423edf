package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.report.ResultsTable;

/** Embedded Spark (local[2]): the table's numbers are the directly trained points' bits; a rerun trains only what is missing. */
class LocalSweepTest {
    @TempDir
    Path out;

    @Test
    void everyNumberEqualsTheDirectlyTrainedPointAndARerunTrainsOnlyTheMissingPoint() throws Exception {
        SweepReport first = Sweeps.run(TinySweeps.gridPlan("local[2]", out));
        assertEquals(8, first.points().size(), "2 arms × 2 seeds × 2 lr");
        assertEquals(8, first.computed());
        List<Map<String, Double>> direct = TinySweeps.direct(first.points());
        for (int i = 0; i < direct.size(); i++) {
            PointResult r = first.points().get(i);
            assertTrue(r.succeeded(), r.toString());
            assertFalse(r.metrics().isEmpty());
            assertEquals(direct.get(i), r.metrics(), "bit-equal metrics of " + r.point());
        }
        assertSummaryIsTheDirectStatistics(first.summary(), first.points(), direct);
        assertTrue(Files.readString(first.folder().resolve("summary.md")).contains("95% CI low"));
        assertTrue(Files.isRegularFile(first.folder().resolve("points.csv")));

        PointResult victim = first.points().get(5);
        Files.delete(new ResultStore(out, first.folder().getFileName().toString()).file(victim.hash()));
        SweepReport second = Sweeps.run(TinySweeps.gridPlan("local[2]", out));
        assertEquals(1, second.computed(), "only the deleted point is trained again");
        assertEquals(1, second.tasksStarted(), "one Spark task");
        for (int i = 0; i < 8; i++) assertEquals(first.points().get(i).metrics(), second.points().get(i).metrics());

        SweepReport third = Sweeps.run(TinySweeps.gridPlan("local[2]", out));
        assertEquals(0, third.computed(), "everything stored: nothing trained, no Spark job");
    }

    /** Each summary row's n, mean and sd are what the direct metrics of that arm × configuration give. */
    static void assertSummaryIsTheDirectStatistics(ResultsTable summary, List<PointResult> points, List<Map<String, Double>> direct) {
        assertTrue(summary.rowCount() > 0);
        for (int row = 0; row < summary.rowCount(); row++) {
            String arm = (String) summary.get(row, "arm"), configuration = (String) summary.get(row, "configuration"), metric = (String) summary.get(row, "metric");
            double[] xs = new double[0];
            for (int i = 0; i < points.size(); i++) {
                SweepPoint p = points.get(i).point();
                if (p.arm().equals(arm) && p.configuration().equals(configuration) && direct.get(i).containsKey(metric)) {
                    xs = java.util.Arrays.copyOf(xs, xs.length + 1);
                    xs[xs.length - 1] = direct.get(i).get(metric);
                }
            }
            assertEquals(2, xs.length, "two seeds per arm × configuration");
            assertEquals(2, ((Number) summary.get(row, "n")).intValue());
            assertEquals(Stats.mean(xs), ((Number) summary.get(row, "mean")).doubleValue(), 0.0, metric);
            assertEquals(Stats.sd(xs), ((Number) summary.get(row, "sd")).doubleValue(), 0.0, metric);
            assertEquals(Stats.mean(xs) - Stats.ci95HalfWidth(xs), ((Number) summary.get(row, "95% CI low")).doubleValue(), 0.0, metric);
        }
    }
}
