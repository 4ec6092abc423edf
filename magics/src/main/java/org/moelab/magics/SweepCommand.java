package org.moelab.magics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.moelab.lab.InterruptRequestedException;
import org.moelab.sweep.ResultStore;
import org.moelab.sweep.SweepPlan;
import org.moelab.sweep.SweepReport;
import org.moelab.sweep.Sweeps;

/**
 * {@code %moe sweep PAPER --seeds 1..5 [--grid key=v1,v2] ...} (and the {@code %%moe sweep} cell form, see
 * {@link SweepPlan#parseCell}): runs a sweep on an embedded Spark ({@code local[N]}) or the {@code --master} given,
 * with the live progress line, and shows the sweep's table and verdict as HTML.
 *
 * <p>Contract: bad input throws IllegalArgumentException before any work (nothing trained, no Spark started). The
 * kernel's interrupt cancels the Spark job; every point finished before it stays stored, the cell fails with an
 * {@link InterruptRequestedException} saying how many points were kept, and the kernel lives on. The sweep runs on
 * its own thread, so the kernel's forced stop of a cell that does not end in time can never kill Spark's shutdown
 * halfway (Spark allows one SparkContext per JVM: a half-stopped one would refuse every later sweep).
 */
public final class SweepCommand implements MoeCommand {
    /** How long an interrupted cell waits for the cancelled job's tasks and Spark's shutdown. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);
    /** The sweep thread of this JVM, running or still shutting Spark down (one SparkContext per JVM). */
    private static Thread running;

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String summary() {
        return "seeds × arms × settings of a paper's experiment on Spark, with a statistics table: %moe sweep <paper> --seeds 1..5 [--grid key=v1,v2]";
    }

    @Override
    public String usage() {
        return "%moe " + SweepPlan.USAGE + "\n%%moe sweep [paper and options]\n  key: value lines below, e.g. paper: mom / seeds: 1..3 / grid: lr=1e-3,2e-3"
                + "\n  sweepable papers: " + String.join(", ", SweepPlan.sweepablePapers())
                + "\n  results: <out>/<spec hash>/ (default build/sweeps); a rerun trains only missing points; interrupt keeps finished points";
    }

    @Override
    public void run(List<String> args, MoeContext context) {
        context.display(run(SweepPlan.parse(args)));
    }

    /** Validates the plan (throwing before any work), runs it on the sweep thread and returns its report. */
    public static SweepReport run(SweepPlan plan) {
        ResultStore store = new ResultStore(plan.out(), plan.validate().contentHash());
        FutureTask<SweepReport> sweep = new FutureTask<>(() -> Sweeps.run(plan));
        Thread worker = start(sweep);
        try {
            return sweep.get();
        } catch (InterruptedException e) {
            // The kernel's interrupt reaches this thread first: make sure the sweep sees it even if the lab's flag is
            // lowered by the next cell, and wait for the cancelled job so the next cell finds Spark stopped.
            worker.interrupt();
            awaitUninterruptibly(worker);
            throw interrupted(store);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptRequestedException) throw interrupted(store);
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static synchronized Thread start(FutureTask<SweepReport> sweep) {
        if (running != null) awaitUninterruptibly(running);
        running = new Thread(sweep, "moelab-sweep");
        running.setDaemon(true);
        running.start();
        return running;
    }

    private static InterruptRequestedException interrupted(ResultStore store) {
        return new InterruptRequestedException("Sweep interrupted: the Spark job is cancelled; " + store.count() + " finished points are kept in "
                + store.folder() + " and rerunning the same %moe sweep trains only the rest.");
    }

    private static void awaitUninterruptibly(Thread thread) {
        long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
        boolean interrupted = false;
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
