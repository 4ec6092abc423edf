package org.moelab.tensor;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * {@code cblas_sgemm} on heap arrays through reusable off-heap operand buffers.
 *
 * <p>Why not pass the {@code float[]}s to JavaCPP directly: for an array argument its JNI glue takes a malloc'ed
 * copy of the <em>whole</em> array ({@code GetFloatArrayElements}), in and back out on every call, C included
 * even when beta = 0; large copies come from fresh mmap'ed pages, so the page faults cost more than the copying.
 * Measured here, one thread, CPU time: 4096x256x256 took 11.3 ms with arrays against 6.6 ms through these
 * buffers (5.7 ms for the GEMM alone), 2048x64x256 1.03 ms against 0.90 ms. Copying just the operand ranges
 * also replaces the slice copies that operands at an offset needed before.
 *
 * <p>Threads: OpenBLAS runs single-threaded and a large product is split into row (or column) blocks over
 * {@link Parallel}'s pool, one single-threaded {@code sgemm} per block on views of the same buffers. See
 * {@link Parallel} for why the pool owns all the threads.
 *
 * <p><b>Why the result does not depend on the thread count or on scheduling:</b> the blocks are fixed by the
 * product's shape alone ({@link #blockGrain}: at least {@link #SPLIT_MIN_BLOCK} rows and 2^19 multiply-adds each,
 * at most {@link Parallel#MAX_CHUNKS} blocks), each block is one {@code sgemm} call computed by one thread, and
 * blocks write disjoint parts of C. With one thread the same calls run one after another. So every element of C
 * comes out of the same OpenBLAS call on the same operands, whichever thread ran it and when.
 */
final class BlasGemm {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final ThreadLocal<BlasGemm> PER_THREAD = ThreadLocal.withInitial(BlasGemm::new);
    /** Below about a million multiply-adds (~30 µs) a hand-off to the pool costs more than it saves. */
    private static final long SPLIT_MIN_WORK = 1L << 20;
    /** The least work of one block, so that a split product's blocks are not smaller than half the threshold. */
    private static final long BLOCK_MIN_WORK = SPLIT_MIN_WORK / 2;
    /** The smallest block one thread gets: narrower blocks lose OpenBLAS's register tiling. */
    private static final int SPLIT_MIN_BLOCK = 32;
    /** The least floats a thread copies when a copy is split over the pool (~30 µs; a hand-off costs a few µs). */
    private static final int COPY_MIN_BLOCK = 1 << 16;

    static {
        openblas_nolapack.blas_set_num_threads(1);
    }

    private final Buffer a = new Buffer(), b = new Buffer(), c = new Buffer();

    private BlasGemm() {}

    /** C[m,n] = alpha·op(A)·op(B) + beta·C, row-major, operands read from the given offsets. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        singleThreaded();
        PER_THREAD.get().run(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    /**
     * Puts OpenBLAS back on one thread if something moved it. ND4J's initialisation (the first use of
     * {@link Nd4jKernels}, a Fréchet distance, expert subspaces, or a user's cell) sets OpenBLAS to every core, and
     * OpenBLAS's multi-threaded sgemm rounds differently from its single-threaded one (it bypasses the small-matrix
     * kernels): measured here, 1024x48x48 differs in 13,321 of 49,152 elements. Without this check a training run
     * after any ND4J call gave other bits than the same run in a fresh JVM. One JNI call: a few nanoseconds.
     */
    static void singleThreaded() {
        if (openblas_nolapack.blas_get_num_threads() != 1) openblas_nolapack.blas_set_num_threads(1);
    }

    private void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] ah, int aOffset, float[] bh, int bOffset, float beta, float[] ch, int cOffset) {
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        int lda = transA ? m : k, ldb = transB ? k : n;
        FloatPointer pb = b.load(bh, bOffset, k * n);
        if ((long) m * n * k >= SPLIT_MIN_WORK && m >= n) {
            // Rows i0..i1 of C need rows i0..i1 of op(A): row offset i0·k in A, or column offset i0 in Aᵀ. Each block
            // copies its own rows of A (when they are contiguous) and of C in and out, so the copies run on the
            // pool's threads too, not one after another on the caller's; the sgemm calls are the same.
            FloatPointer pa = transA ? a.load(ah, aOffset, m * k) : a.reserve(m * k), pc = c.reserve(m * n);
            Parallel.forRange(m, blockGrain((long) n * k), (i0, i1) -> {
                FloatPointer blockA = pa.getPointer(transA ? i0 : (long) i0 * k), blockC = pc.getPointer((long) i0 * n);
                if (!transA) blockA.put(ah, aOffset + i0 * k, (i1 - i0) * k);
                if (beta != 0) blockC.put(ch, cOffset + i0 * n, (i1 - i0) * n);
                openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb, i1 - i0, n, k, alpha, blockA, lda, pb, ldb, beta, blockC, n);
                blockC.get(ch, cOffset + i0 * n, (i1 - i0) * n);
            });
            return;
        }
        FloatPointer pa = a.load(ah, aOffset, m * k);
        FloatPointer pc = beta == 0 ? c.reserve(m * n) : c.load(ch, cOffset, m * n);
        if ((long) m * n * k < SPLIT_MIN_WORK) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
        } else {
            // Columns j0..j1 of C need columns j0..j1 of op(B): column offset j0 in B, or row offset j0·k in Bᵀ. A
            // block's columns are not contiguous in C, so C is copied out after the blocks.
            Parallel.forRange(n, blockGrain((long) m * k), (j0, j1) -> openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb,
                    m, j1 - j0, k, alpha, pa, lda, pb.getPointer(transB ? (long) j0 * k : j0), ldb,
                    beta, pc.getPointer(j0), n));
        }
        copyOut(pc, ch, cOffset, m * n);
    }

    /** dst[offset, offset + n) = src's first n floats; a large copy is split over the pool. */
    private static void copyOut(FloatPointer src, float[] dst, int offset, int n) {
        Parallel.forRange(n, COPY_MIN_BLOCK, (from, to) -> src.getPointer(from).get(dst, offset + from, to - from));
    }

    /** Rows (or columns) per block: at least {@link #SPLIT_MIN_BLOCK} and {@link #BLOCK_MIN_WORK} multiply-adds. */
    static int blockGrain(long workPerRow) {
        return (int) Math.max(SPLIT_MIN_BLOCK, Math.min(Integer.MAX_VALUE, (BLOCK_MIN_WORK + workPerRow - 1) / workPerRow));
    }

    /** A growable off-heap buffer owned by one thread: grows to the largest operand seen, never shrinks. */
    private static final class Buffer {
        private FloatPointer p;
        private long capacity;

        FloatPointer reserve(int n) {
            if (n > capacity) {
                if (p != null) p.close();
                capacity = Math.max(n, capacity + capacity / 2);
                p = new FloatPointer(capacity);
            }
            return p;
        }

        /** Copies src[offset, offset + n) in; a large copy is split over the pool. */
        FloatPointer load(float[] src, int offset, int n) {
            FloatPointer d = reserve(n);
            Parallel.forRange(n, COPY_MIN_BLOCK, (from, to) -> d.getPointer(from).put(src, offset + from, to - from));
            return d;
        }
    }
}
