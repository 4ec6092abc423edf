package org.moelab.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool that splits a loop over the machine's cores (2 here): the caller runs the first chunk
 * itself and helper threads run the rest, so a loop costs one hand-off, not a task per chunk.
 *
 * <p>Why our own pool rather than OpenBLAS's threads or ForkJoinPool: one pool now runs the GEMMs (split by
 * {@link BlasGemm}, OpenBLAS itself single-threaded) and the element-wise, norm and softmax loops, so at most
 * {@link #threads()} threads work at any moment. OpenBLAS's own workers spin after each call and competed with
 * everything that followed; they also made two concurrent GEMMs (attention heads) oversubscribe the cores.
 * Loops nested inside a parallel loop run sequentially. Helpers wait by parking, which behaves on a loaded
 * machine where a spinning waiter steals the core it is waiting for.
 *
 * <p>Size: {@code -Dmoelab.threads=N} (default: available processors, at most 8); 1 disables it.
 */
public final class Parallel {
    /** A loop body over the index range [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static final int THREADS = Math.max(1, Integer.getInteger("moelab.threads",
            Math.min(8, Runtime.getRuntime().availableProcessors())));
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);
    private static final Helper[] HELPERS = new Helper[THREADS - 1];
    /** One parallel loop at a time: a second caller (another user thread) runs its loop sequentially. */
    private static final AtomicInteger BUSY = new AtomicInteger();

    static {
        for (int i = 0; i < HELPERS.length; i++) HELPERS[i] = new Helper(i + 1);
    }

    private Parallel() {}

    public static int threads() {
        return THREADS;
    }

    /**
     * Runs body over [0, n) in up to {@link #threads()} contiguous chunks, or in one call when there is less
     * than {@code 2·grain} work, when already inside a parallel loop, or when the pool is busy.
     */
    public static void forRange(int n, int grain, Range body) {
        int chunks = Math.min(THREADS, n / Math.max(1, grain));
        boolean[] inside = INSIDE.get();
        if (chunks < 2 || inside[0] || !BUSY.compareAndSet(0, 1)) {
            body.run(0, n);
            return;
        }
        inside[0] = true;
        try {
            Helper[] used = new Helper[chunks - 1];
            for (int c = 1; c < chunks; c++) {
                used[c - 1] = HELPERS[c - 1];
                used[c - 1].start(body, bound(n, chunks, c), bound(n, chunks, c + 1));
            }
            RuntimeException failure = null;
            try {
                body.run(0, bound(n, chunks, 1));
            } catch (RuntimeException e) {
                failure = e;
            }
            for (Helper h : used) {
                RuntimeException e = h.await();
                if (failure == null) failure = e;
            }
            if (failure != null) throw failure;
        } finally {
            inside[0] = false;
            BUSY.set(0);
        }
    }

    private static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /** A daemon thread that runs one chunk per request. */
    private static final class Helper implements Runnable {
        private final Thread thread;
        private volatile Range body;
        private volatile int from, to;
        private volatile boolean done = true;
        private volatile RuntimeException error;
        private volatile Thread waiter;

        Helper(int index) {
            thread = new Thread(this, "moelab-parallel-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void start(Range b, int f, int t) {
            from = f;
            to = t;
            error = null;
            done = false;
            body = b;
            LockSupport.unpark(thread);
        }

        RuntimeException await() {
            waiter = Thread.currentThread();
            // A short spin first: most chunks end within microseconds of the caller's own chunk.
            for (int i = 0; i < 2000 && !done; i++) Thread.onSpinWait();
            while (!done) LockSupport.park(this);
            waiter = null;
            return error;
        }

        @Override
        public void run() {
            INSIDE.get()[0] = true;
            while (true) {
                Range b = body;
                if (b == null) {
                    LockSupport.park(this);
                    continue;
                }
                body = null;
                try {
                    b.run(from, to);
                } catch (RuntimeException e) {
                    error = e;
                } catch (Error e) {
                    error = new RuntimeException(e);
                }
                done = true;
                Thread w = waiter;
                if (w != null) LockSupport.unpark(w);
            }
        }
    }
}
