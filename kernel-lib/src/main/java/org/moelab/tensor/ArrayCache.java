package org.moelab.tensor;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * This thread's spare float arrays: a caching allocator for the arrays whose end the engine knows.
 *
 * <p>Why: an array fresh from the JVM is zeroed in cold memory (a 4 MB array costs about 0.45 ms on the benchmark
 * machine, filling one that is still in cache 0.08 ms), and a training step allocates many that die within it.
 * PyTorch's allocator hands such memory straight back; this does the same for ours. (Op outputs are not cached:
 * the caller may keep them as long as it likes.)
 *
 * <p>What is given back, only arrays that nothing can reach any more: an intermediate tensor's gradient once its
 * op's backward has run and did not hand the array over to one of its inputs ({@link Tensor#takeGrad}) — an
 * intermediate's {@code grad()} is null once backward is done, and {@link CustomOp}'s buffers are valid for the
 * call only; an op's private saved buffers (attention probabilities, log-probabilities, dropout masks) once its
 * backward has run, or at once when nothing is recorded; a backward's own temporaries. Leaf gradients and op
 * outputs never are. What comes out: {@link #zeroed} gives all zeros, exactly what {@code new float[n]} gives;
 * {@link #overwritten} may hold old values, for callers that write every element before reading any. So results
 * are bit-identical to fresh arrays.
 *
 * <p>Per thread (no locks; a pass runs on one thread), newest array first (the one most likely still in cache),
 * at most an eighth of the heap (512 MB at most) kept between passes and dropped under memory pressure, and only
 * arrays of at least {@link #MIN_LENGTH} floats (smaller ones are cheap to allocate in the thread-local allocation
 * buffer).
 */
final class ArrayCache {
    static final int MIN_LENGTH = 4096;
    /** Softly held: under memory pressure the collector may drop the spare arrays, and a new empty cache starts. */
    private static final ThreadLocal<SoftReference<ArrayCache>> OF_THREAD = new ThreadLocal<>();

    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<float[]>> spare = new HashMap<>();
    private long bytes;

    /** A cache that keeps at most capacityBytes of spare arrays (the thread's own: {@link #ofThread}). */
    ArrayCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    static ArrayCache ofThread() {
        SoftReference<ArrayCache> ref = OF_THREAD.get();
        ArrayCache cache = ref == null ? null : ref.get();
        if (cache == null) {
            cache = new ArrayCache(Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8));
            OF_THREAD.set(new SoftReference<>(cache));
        }
        return cache;
    }

    /** An array of n zeros. */
    float[] zeroed(int n) {
        float[] a = take(n);
        if (a == null) return new float[n];
        Arrays.fill(a, 0f);
        return a;
    }

    /** An array of n floats with unspecified (stale, finite or not) values: the caller writes every element. */
    float[] overwritten(int n) {
        float[] a = take(n);
        return a == null ? new float[n] : a;
    }

    /** Takes back an array that nothing references any more (see the class comment for which ones qualify). */
    void giveBack(float[] a) {
        if (a.length < MIN_LENGTH) return;
        ArrayDeque<float[]> same = spare.computeIfAbsent(a.length, k -> new ArrayDeque<>());
        // An array given back twice would be handed out twice; contains compares arrays by identity.
        if (same.contains(a)) throw new IllegalStateException("an array was given back twice");
        if (bytes + 4L * a.length > capacityBytes) return;
        same.push(a);
        bytes += 4L * a.length;
    }

    private float[] take(int n) {
        if (n < MIN_LENGTH) return null;
        ArrayDeque<float[]> q = spare.get(n);
        float[] a = q == null ? null : q.poll();
        if (a != null) bytes -= 4L * n;
        return a;
    }
}
