package org.moelab.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool that runs a loop's chunks over the machine's cores (2 here): the caller runs its share of the
 * chunks itself and helper threads run the rest, so a loop costs one hand-off per helper, not a task per chunk.
 *
 * <p><b>Chunks depend on the problem, never on the threads.</b> A loop over n items with a grain g is cut into
 * {@link #chunks(int, int) min(8, n / g)} contiguous chunks whose bounds depend only on n and g; the pool's
 * threads then take the chunks round-robin, and with one thread (or inside another parallel loop, or while the pool
 * is busy) the same chunks run one after another. A body that writes disjoint ranges therefore gives the same bits
 * on any thread count, and a reduction that keeps one partial per chunk ({@link #forChunks}) and adds the partials
 * in chunk order does too: {@code -Dmoelab.threads=1, 2, 4} train to identical parameters (DeterminismTest).
 *
 * <p>Why our own pool rather than OpenBLAS's threads or ForkJoinPool: one pool now runs the GEMMs (split by
 * {@link BlasGemm}, OpenBLAS itself single-threaded) and the element-wise, norm and softmax loops, so at most
 * {@link #threads()} threads work at any moment. OpenBLAS's own workers spin after each call and competed with
 * everything that followed; they also made two concurrent GEMMs (attention heads) oversubscribe the cores.
 * Helpers wait by parking, which behaves on a loaded machine where a spinning waiter steals the core it is waiting
 * for.
 *
 * <p>Size: {@code -Dmoelab.threads=N} (default: available processors, at most 8); 1 disables it.
 */
public final class Parallel {
    /** A loop body over the index range [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** A loop body over chunk {@code chunk} of a loop, the index range [from, to). */
    @FunctionalInterface
    public interface Chunk {
        void run(int chunk, int from, int to);
    }

    /** The most chunks a loop is cut into, whatever the thread count (a constant: it fixes summation orders). */
    public static final int MAX_CHUNKS = 8;

    private static final int THREADS = Math.max(1, Integer.getInteger("moelab.threads",
            Math.min(8, Runtime.getRuntime().availableProcessors())));
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);
    private static final Helper[] HELPERS = new Helper[THREADS - 1];
    /** One parallel loop at a time: a second caller (another user thread) runs its chunks sequentially. */
    private static final AtomicInteger BUSY = new AtomicInteger();

    static {
        for (int i = 0; i < HELPERS.length; i++) HELPERS[i] = new Helper(i + 1);
    }

    private Parallel() {}

    public static int threads() {
        return THREADS;
    }

    /** How many chunks a loop over {@code n} items with this grain is cut into: min(8, n / grain), at least 1. */
    public static int chunks(int n, int grain) {
        return Math.max(1, Math.min(MAX_CHUNKS, n / Math.max(1, grain)));
    }

    /** The first index of chunk {@code c} of {@code chunks} over [0, n); chunk c covers [start(c), start(c + 1)). */
    public static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /**
     * Runs body over [0, n) in {@link #chunks(int, int)} contiguous chunks, spread over the pool. The chunks may run
     * in any order and concurrently: the body must write disjoint ranges.
     */
    public static void forRange(int n, int grain, Range body) {
        forChunks(n, grain, (c, from, to) -> body.run(from, to));
    }

    /**
     * Runs body on every chunk of [0, n) (see {@link #chunks(int, int)}), telling it the chunk's number, so that a
     * reduction can keep one partial result per chunk and combine them in chunk order afterwards.
     */
    public static void forChunks(int n, int grain, Chunk body) {
        int chunks = chunks(n, grain);
        if (chunks == 1) {
            body.run(0, 0, n);
            return;
        }
        boolean[] inside = INSIDE.get();
        int workers = Math.min(THREADS, chunks);
        if (workers < 2 || inside[0] || !BUSY.compareAndSet(0, 1)) {
            runShare(body, n, chunks, 0, 1);
            return;
        }
        inside[0] = true;
        try {
            Helper[] used = new Helper[workers - 1];
            for (int w = 1; w < workers; w++) {
                used[w - 1] = HELPERS[w - 1];
                used[w - 1].start(body, n, chunks, w, workers);
            }
            RuntimeException failure = null;
            try {
                runShare(body, n, chunks, 0, workers);
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

    /** Worker {@code w} of {@code workers} runs chunks w, w + workers, w + 2·workers, ... */
    private static void runShare(Chunk body, int n, int chunks, int w, int workers) {
        for (int c = w; c < chunks; c += workers) body.run(c, chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1));
    }

    /** A daemon thread that runs one chunk per request. */
    private static final class Helper implements Runnable {
        private final Thread thread;
        private volatile Chunk body;
        private volatile int n, chunks, worker, workers;
        private volatile boolean done = true;
        private volatile RuntimeException error;
        private volatile Thread waiter;

        Helper(int index) {
            thread = new Thread(this, "moelab-parallel-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void start(Chunk b, int n, int chunks, int worker, int workers) {
            this.n = n;
            this.chunks = chunks;
            this.worker = worker;
            this.workers = workers;
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
                Chunk b = body;
                if (b == null) {
                    LockSupport.park(this);
                    continue;
                }
                body = null;
                try {
                    runShare(b, n, chunks, worker, workers);
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
