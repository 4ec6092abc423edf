package org.moelab.sweep;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.moelab.lab.InterruptRequestedException;
import org.moelab.lab.Interrupts;
import org.moelab.lab.LiveDisplay;
import org.moelab.lab.Scope;

/**
 * What a Spark task does with its point: train it with the engine's process-wide state made thread-confined (its
 * own stop condition, no live display), and turn the outcome into a {@link PointResult}. An exception on an early
 * attempt is rethrown so Spark retries the task; on the last allowed attempt it becomes a failed row instead, so one
 * bad point never aborts the sweep. A cancelled task always throws: a cancelled point has no result.
 */
record PointTask(PointRunner runner, int maxFailures) implements Serializable {

    PointResult run(SweepPoint point, String hash) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        try (Scope stop = Interrupts.watching(() -> task != null && task.isInterrupted());
             Scope quiet = LiveDisplay.using(LiveDisplay.none())) {
            return PointResult.ok(point, hash, runner.measure(point), attempt + 1);
        } catch (InterruptRequestedException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (attempt + 1 < maxFailures) throw e;
            return PointResult.failed(point, hash, e.getClass().getSimpleName() + ": " + e.getMessage(), attempt + 1);
        }
    }
}
