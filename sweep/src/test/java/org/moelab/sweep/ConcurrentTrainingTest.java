package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.moelab.experiments.ExperimentSpec;

/**
 * Local mode runs tasks as threads of one JVM: two trainings at once (sharing the engine's process-wide state —
 * kernels, the parallel pool, the interrupt flag, the live display) give the bits each gives alone.
 */
class ConcurrentTrainingTest {
    @Test
    void twoConcurrentTrainingsGiveTheBitsEachGivesAlone() throws Exception {
        ExperimentSpec base = TinySweeps.plan("local[1]", Path.of("unused"), "1").validate();
        SweepPoint a = new SweepPoint(base.toText(), "MOM", 1, Map.of("learningRate", "0.02"));
        SweepPoint b = new SweepPoint(base.toText(), "ATTENTION", 2, Map.of());
        Map<String, Double> aloneA = new PaperPoints().measure(a), aloneB = new PaperPoints().measure(b);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<Map<String, Double>>> both = pool.invokeAll(List.of(
                        () -> new PaperPoints().measure(a), () -> new PaperPoints().measure(b)));
                assertFalse(aloneA.isEmpty());
                assertEquals(aloneA, both.get(0).get(), "MOM seed 1 beside another training");
                assertEquals(aloneB, both.get(1).get(), "ATTENTION seed 2 beside another training");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
