package org.moelab.kernel.execution;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
    private Future<Object> future;

    RunningSnippet(Method doit) {
        this.doit = doit;
    }

    RunningSnippet start(ExecutorService executor) {
        future = executor.submit(this::call);
        return this;
    }

    private Object call() throws Exception {
        thread = Thread.currentThread();
        started = true;
        try {
            return doit.invoke(null);
        } finally {
            finished.countDown();
        }
    }

    /** Asks the snippet to stop; {@link #awaitResult} does the rest on the evaluating thread. */
    void interrupt() {
        Future<Object> running = future;
        if (running != null) {
            running.cancel(true);
        }
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
