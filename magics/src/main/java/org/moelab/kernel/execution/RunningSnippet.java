package org.moelab.kernel.execution;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * One snippet's {@code do_it} method running on an executor thread, and the means to stop it.
 *
 * <p>Stopping is two-staged. First the thread is interrupted, which ends anything that blocks or polls
 * {@code Thread.interrupted()}. A CPU loop that ignores interrupts ({@code while (true) {}}) would run forever and
 * keep the kernel busy, so after a grace period the thread is stopped with {@link Thread#stop()} — deprecated, but it
 * still works on JDK 17 and is what JShell's own local engine does. JShell keeps snippet state in static fields of
 * its wrapper classes, not on the stack, so variables defined by earlier cells survive the stop.
 */
final class RunningSnippet {
    private static final Duration STOP_CONFIRMATION = Duration.ofSeconds(10);

    private final Method doit;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile boolean started;
    /**
     * Made before the snippet's thread starts, so an interrupt always finds it: when the future was assigned from
     * {@code executor.submit}, a snippet could start running before the assignment was visible and an interrupt
     * pressed just then was lost (the busy loop of InterruptTest ran on under load).
     */
    private final FutureTask<Object> future = new FutureTask<>(this::call);

    RunningSnippet(Method doit) {
        this.doit = doit;
    }

    RunningSnippet start(ExecutorService executor) {
        executor.execute(future);
        return this;
    }

    private Object call() throws Exception {
        thread = Thread.currentThread();
        started = true;
        try {
            // Cancelled between the executor picking the task and here: awaitResult may have seen started == false
            // and gone on, so nothing would stop the snippet later. Both are volatile, so one side sees the other.
            if (future.isCancelled()) {
                return null;
            }
            return doit.invoke(null);
        } finally {
            finished.countDown();
        }
    }

    /** Asks the snippet to stop; {@link #awaitResult} does the rest on the evaluating thread. */
    void interrupt() {
        future.cancel(true);
    }

    /**
     * Waits for the snippet's value. A user exception comes back as the {@link InvocationTargetException} that
     * {@link Method#invoke} threw; an interrupt comes back the same way wrapping a {@link CellInterruptedException}.
     */
    Object awaitResult(Duration stopGrace) throws Exception {
        try {
            return future.get();
        } catch (CancellationException cancelled) {
            forceStopIfStillRunning(stopGrace);
            throw new InvocationTargetException(new CellInterruptedException());
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw new InvocationTargetException(cause);
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void forceStopIfStillRunning(Duration grace) throws InterruptedException {
        if (!started || finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return; // cancelled before it began, or it stopped on its own
        }
        Thread stubborn = thread;
        if (stubborn != null) {
            stubborn.stop();
        }
        // Wait for the stack to unwind so the next cell never overlaps the dying one.
        finished.await(STOP_CONFIRMATION.toMillis(), TimeUnit.MILLISECONDS);
    }
}
