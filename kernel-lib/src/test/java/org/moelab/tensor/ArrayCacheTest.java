package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The caching allocator: what it hands out, what it keeps, and that a backward pass's reuse never shows. */
class ArrayCacheTest {
    private static final int N = ArrayCache.MIN_LENGTH;

    @Test
    void aGivenBackArrayComesBackZeroedOrAsIs() {
        ArrayCache cache = new ArrayCache(1 << 20);
        float[] a = new float[N];
        Arrays.fill(a, 7f);
        cache.giveBack(a);
        float[] z = cache.zeroed(N);
        assertSame(a, z);
        assertArrayEquals(new float[N], z);
        cache.giveBack(z);
        assertSame(a, cache.overwritten(N));
        assertNotSame(a, cache.zeroed(N), "handed out once, not twice");
    }

    @Test
    void keepsOnlyLargeArraysWithinItsCapacityAndRefusesADoubleGiveBack() {
        ArrayCache cache = new ArrayCache(4L * N);
        float[] small = new float[N - 1];
        cache.giveBack(small);
        assertNotSame(small, cache.zeroed(N - 1));
        float[] first = new float[N], second = new float[N];
        cache.giveBack(first);
        cache.giveBack(second);
        assertSame(first, cache.zeroed(N));
        assertNotSame(second, cache.zeroed(N), "over capacity: not kept");
        float[] twice = new float[N];
        cache.giveBack(twice);
        assertThrows(IllegalStateException.class, () -> cache.giveBack(twice));
    }

    @Test
    void reuseNeverReachesAnythingTheCallerHolds() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 64, 128).requiresGrad(true), w = Tensor.randn(rng, 128, 128).requiresGrad(true);
        Tensor q = Tensor.randn(rng, 2, 32, 128).requiresGrad(true);
        float[][] kept = new float[0][];
        Tensor[] held = new Tensor[0];
        for (int pass = 0; pass < 3; pass++) {
            x.zeroGrad();
            w.zeroGrad();
            q.zeroGrad();
            Tensor h = x.matmul(w);
            Tensor a = Attention.multiHead(q, q.mul(0.5f), q, 4, true);
            Tensor loss = Losses.crossEntropy(h.exp().mul(h).add(h.mul(x)), new int[64]).add(a.mul(a).sum());
            loss.backward();
            assertNull(h.grad(), "an intermediate's gradient is released, not exposed");
            if (pass == 0) {
                // what pass 0 left with the caller: its leaf gradients, an intermediate and an op output
                held = new Tensor[] {x.grad(), w.grad(), q.grad(), h, a};
                kept = new float[held.length][];
                for (int i = 0; i < held.length; i++) kept[i] = held[i].toFloatArray();
            }
        }
        // more passes with everything cached in between: pass 0's arrays are untouched
        for (int pass = 0; pass < 2; pass++) {
            x.zeroGrad();
            Losses.crossEntropy(x.mul(2f).exp(), new int[64]).backward();
        }
        for (int i = 0; i < held.length; i++) assertArrayEquals(kept[i], held[i].toFloatArray());
        // and the gradients a warm cache gives are the bits a thread with an empty cache gives
        w.zeroGrad();
        q.zeroGrad();
        Tensor h = x.matmul(w);
        Tensor att = Attention.multiHead(q, q.mul(0.5f), q, 4, true);
        Losses.crossEntropy(h.exp().mul(h).add(h.mul(x)), new int[64]).add(att.mul(att).sum()).backward();
        AtomicReference<float[]> fresh = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Tensor w2 = w.detach().requiresGrad(true), q2 = q.detach().requiresGrad(true);
            Tensor h2 = x.detach().matmul(w2), att2 = Attention.multiHead(q2, q2.mul(0.5f), q2, 4, true);
            Losses.crossEntropy(h2.exp().mul(h2).add(h2.mul(x.detach())), new int[64]).add(att2.mul(att2).sum()).backward();
            float[] both = Arrays.copyOf(w2.grad().toFloatArray(), w2.numel() + q2.numel());
            System.arraycopy(q2.grad().toFloatArray(), 0, both, w2.numel(), q2.numel());
            fresh.set(both);
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        float[] warm = Arrays.copyOf(w.grad().toFloatArray(), w.numel() + q.numel());
        System.arraycopy(q.grad().toFloatArray(), 0, warm, w.numel(), q.numel());
        assertArrayEquals(fresh.get(), warm);
    }
}
