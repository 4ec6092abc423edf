package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.moelab.kernel.execution.CellInterruptedException;

/** Jupyter's interrupt button arrives on another thread (the control channel) while a cell runs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterruptTest {
    private final KernelSession session = new KernelSession(Duration.ofMillis(300));

    @AfterAll
    void close() {
        session.close();
    }

    @Test
    void aBusyLoopThatIgnoresInterruptsIsStoppedAndVariablesSurvive() throws Exception {
        session.eval("int kept = 41; long spins = 0;");
        // The loop says when it runs (one statement: a cell's later snippets would not start after an interrupt), so
        // a loaded machine, where JShell's compile can take longer than any fixed delay, cannot interrupt it earlier.
        System.clearProperty("moelab.test.spinning");
        Throwable failure = interruptWhen(() -> System.getProperty("moelab.test.spinning") != null,
                "while (true) { if (spins++ == 0) { System.setProperty(\"moelab.test.spinning\", \"yes\"); } }");
        assertTrue(failure instanceof CellInterruptedException, String.valueOf(failure));
        assertEquals("42", session.eval("kept + 1"));
        assertEquals("true", session.eval("spins > 0"), "the loop ran and its progress is visible");
        assertTrue(String.join("\n", session.kernel.formatError((Exception) failure)).contains("Interrupted"));
    }

    @Test
    void aSleepingCellStopsAtOnce() throws Exception {
        long start = System.nanoTime();
        Throwable failure = interruptAfter(Duration.ofMillis(200), "Thread.sleep(60_000);");
        assertTrue(failure instanceof CellInterruptedException, String.valueOf(failure));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    }

    @Test
    void longLoopsCanPollTheLabInterruptFlag() throws Exception {
        session.eval("int steps = 0;");
        Throwable failure = interruptAfter(Duration.ofMillis(300),
                "while (true) { org.moelab.lab.Interrupts.check(); steps++; }");
        assertTrue(failure instanceof Exception, String.valueOf(failure));
        assertTrue(String.join("\n", session.kernel.formatError((Exception) failure)).contains("Interrupted"));
        assertEquals("false", session.eval("org.moelab.lab.Interrupts.requested()"), "cleared for the next cell");
    }

    /** Runs the cell, presses "interrupt" once {@code started} holds, returns what the cell threw. */
    private Throwable interruptWhen(java.util.function.BooleanSupplier started, String cell) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.kernel.eval(cell);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            while (!started.getAsBoolean()) {
                if (running.isDone()) {
                    throw new AssertionError("the cell ended before it started: " + running);
                }
                Thread.sleep(10);
            }
            session.kernel.interrupt();
            try {
                running.get();
                return null;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                return cause instanceof RuntimeException && cause.getCause() != null
                        && cause.getClass() == RuntimeException.class ? cause.getCause() : cause;
            }
        });
    }

    /** Runs the cell, presses "interrupt" after a delay, returns what the cell threw. */
    private Throwable interruptAfter(Duration delay, String cell) {
        long deadline = System.nanoTime() + delay.toNanos();
        return interruptWhen(() -> System.nanoTime() >= deadline, cell);
    }
}
