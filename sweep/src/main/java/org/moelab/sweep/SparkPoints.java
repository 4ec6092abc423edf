package org.moelab.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.moelab.lab.Interrupts;
import scala.Function0;
import scala.Function1;
import scala.Function2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Runs points as one Spark job, one task per point, and hands each result to the caller on the driver as soon as its
 * task finishes (so results are stored while the sweep goes on, and an interrupt keeps every finished point). An
 * interrupt ({@link Interrupts#requested()} on the driver: Jupyter's button, or Ctrl-C through {@link SweepMain})
 * cancels the job, which interrupts the running tasks. One instance owns one SparkContext; close it when done.
 */
public final class SparkPoints implements AutoCloseable {
    /** How a sweep runs: the master URL (already checked by {@link SweepPlan}), retries, and where to ship classes. */
    public record Options(String master, int maxFailures, Path workDir) {}

    /** What a job did: the points whose tasks started (retries included) and finished. */
    public record Counts(int tasksStarted, int tasksFailed) {}

    /** Progress while a job runs. */
    public interface Progress {
        void update(int done, int running, int failed, int total);
    }

    private final JavaSparkContext spark;
    private final int maxFailures;
    private final AtomicInteger started = new AtomicInteger(), ended = new AtomicInteger(), failedTasks = new AtomicInteger();

    public SparkPoints(Options options) {
        this.maxFailures = options.maxFailures();
        SparkConf conf = new SparkConf().setAppName("moelab sweep").setMaster(SparkMasters.withRetries(options.master(), options.maxFailures()))
                .set("spark.ui.enabled", "false")
                .set("spark.task.maxFailures", Integer.toString(options.maxFailures()))
                // A cancelled sweep interrupts its running tasks' threads (the trainings stop at their next step).
                .set("spark.job.interruptOnCancel", "true");
        if (SparkMasters.isLocal(options.master()) || SparkMasters.isLoopback(options.master())) {
            // Everything on this machine: the driver answers on loopback, whatever the host name resolves to.
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!SparkMasters.isLocal(options.master())) {
            conf.set("spark.executor.extraJavaOptions", SparkMasters.EXECUTOR_JAVA_OPTIONS);
            conf.set("spark.jars", String.join(",", ClassShipping.jarsToShip(options.workDir())));
        }
        spark = new JavaSparkContext(conf);
        spark.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart taskStart) {
                started.incrementAndGet();
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                ended.incrementAndGet();
                if (!taskEnd.taskInfo().successful()) failedTasks.incrementAndGet();
            }
        });
    }

    /** Tasks started and failed so far in this context (a retried point counts once per attempt). */
    public Counts counts() {
        return new Counts(started.get(), failedTasks.get());
    }

    /**
     * Runs every point (paired with its hash), calling {@code onResult} on the driver for each as it finishes.
     * Returns normally when all finished; throws {@link org.moelab.lab.InterruptRequestedException} after cancelling
     * the job when the user interrupts.
     */
    public void run(List<SweepPoint> points, List<String> hashes, PointRunner runner, Consumer<PointResult> onResult, Progress progress) {
        if (points.isEmpty()) return;
        List<Object[]> work = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) work.add(new Object[] {points.get(i), hashes.get(i)});
        JavaRDD<Object[]> rdd = spark.parallelize(work, work.size());
        PointTask task = new PointTask(runner, maxFailures);
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < work.size(); i++) partitions.add(i);
        AtomicInteger done = new AtomicInteger(), failed = new AtomicInteger();
        int startedBefore = started.get(), endedBefore = ended.get();
        SimpleFutureAction<BoxedUnit> job = spark.sc().submitJob(rdd.rdd(), runOne(task),
                CollectionConverters.asScala(partitions).toSeq(), deliver(r -> {
                    if (!r.succeeded()) failed.incrementAndGet();
                    onResult.accept(r);
                    done.incrementAndGet();
                }), (Function0<BoxedUnit> & Serializable) () -> BoxedUnit.UNIT);
        while (!job.isCompleted()) {
            if (Interrupts.requested() || Thread.currentThread().isInterrupted()) {
                job.cancel();
                awaitQuietly(job);
                throw new org.moelab.lab.InterruptRequestedException();
            }
            int running = Math.max(0, (started.get() - startedBefore) - (ended.get() - endedBefore));
            progress.update(done.get(), running, failed.get(), points.size());
            sleep(200);
        }
        Try<BoxedUnit> outcome = job.value().get();
        if (outcome.isFailure()) throw new IllegalStateException("the Spark job failed: " + outcome.failed().get().getMessage(), outcome.failed().get());
        progress.update(done.get(), 0, failed.get(), points.size());
    }

    private static Function1<Iterator<Object[]>, PointResult> runOne(PointTask task) {
        return (Function1<Iterator<Object[]>, PointResult> & Serializable) partition -> {
            Object[] pair = partition.next();
            return task.run((SweepPoint) pair[0], (String) pair[1]);
        };
    }

    private static Function2<Object, PointResult, BoxedUnit> deliver(Consumer<PointResult> onResult) {
        return (Function2<Object, PointResult, BoxedUnit> & Serializable) (partition, result) -> {
            onResult.accept(result);
            return BoxedUnit.UNIT;
        };
    }

    /** Waits for a cancelled job's tasks to stop; an interrupted caller would make every sleep return at once. */
    private static void awaitQuietly(SimpleFutureAction<?> job) {
        boolean interrupted = Thread.interrupted();
        while (!job.isCompleted()) sleep(50);
        if (interrupted || Thread.interrupted()) Thread.currentThread().interrupt();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // A cancelled sweep's thread may carry an interrupt; SparkContext.stop would then give up halfway and leave
        // the context registered, and Spark refuses every later context in this JVM (the kernel's next sweep).
        boolean interrupted = Thread.interrupted();
        try {
            spark.stop();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
