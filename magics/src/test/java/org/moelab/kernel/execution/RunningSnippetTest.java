package org.moelab.kernel.execution;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunningSnippetTest {
    static final CountDownLatch SPINNING = new CountDownLatch(1);
    static volatile long spins;

    /** A snippet that ignores interrupts: only the force-stop ends it. */
    public static void spin() {
        while (true) {
            if (spins++ == 0) {
                SPINNING.countDown();
            }
        }
    }

    /**
     * The interrupt button pressed while the thread that started the snippet has not yet returned from the executor
     * (a loaded machine deschedules it right after the snippet's thread starts). Before the fix the snippet's future
     * was assigned only then, the interrupt found none, and the busy loop ran forever (CI, stop 23).
     */
    @Test
    void anInterruptPressedWhileTheSnippetIsStartingStopsIt() throws Exception {
        RunningSnippet snippet = new RunningSnippet(RunningSnippetTest.class.getMethod("spin"));
        AbstractExecutorService slowToReturn = new AbstractExecutorService() {
            @Override
            public void execute(Runnable task) {
                Thread thread = new Thread(task, "snippet");
                thread.setDaemon(true);
                thread.start();
                try {
                    SPINNING.await(); // returns only once the snippet runs
                    Thread.sleep(200); // and after the interrupt below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override public void shutdown() { }
            @Override public List<Runnable> shutdownNow() { return List.of(); }
            @Override public boolean isShutdown() { return false; }
            @Override public boolean isTerminated() { return false; }
            @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return false; }
        };
        Thread presser = new Thread(() -> {
            try {
                SPINNING.await();
                snippet.interrupt();
            } catch (InterruptedException ignored) {
                // the test ends
            }
        });
        presser.start();
        InvocationTargetException stopped = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                InvocationTargetException.class, () -> snippet.start(slowToReturn).awaitResult(Duration.ofMillis(100))));
        assertInstanceOf(CellInterruptedException.class, stopped.getCause());
    }
}
