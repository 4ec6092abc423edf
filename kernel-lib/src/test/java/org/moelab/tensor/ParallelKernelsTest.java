package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The parallel paths of {@link CpuKernels} (sizes above {@link CpuKernels#GRAIN}, GEMMs above the split size, many
 * attention heads) agree with ND4J, and {@link Parallel} itself covers every index once, runs nested loops
 * inline and passes a chunk's exception to the caller. KernelAgreementTest's shapes are mostly too small to split.
 */
class ParallelKernelsTest {
    private static final Kernels CPU = new CpuKernels(), ND4J = new Nd4jKernels();
    private static final int ROWS = 4099, COLS = 64; // odd row count: chunks of unequal size

    @Test
    void parallelForCoversEveryIndexOnceAndRunsNestedLoopsInline() {
        int n = 100_003;
        AtomicInteger[] seen = new AtomicInteger[n];
        for (int i = 0; i < n; i++) seen[i] = new AtomicInteger();
        Parallel.forRange(n, 1000, (a, b) -> {
            for (int i = a; i < b; i++) seen[i].incrementAndGet();
            Parallel.forRange(10_000, 1, (c, d) -> { }); // nested: must not deadlock
        });
        for (int i = 0; i < n; i++) assertEquals(1, seen[i].get(), "index " + i);
    }

    @Test
    void exceptionInAChunkReachesTheCaller() {
        assertThrows(IllegalStateException.class, () -> Parallel.forRange(1 << 20, 1, (a, b) -> {
            if (a > 0) throw new IllegalStateException("chunk " + a);
        }));
        Parallel.forRange(4, 1, (a, b) -> { }); // the pool still works afterwards
    }

    @Test
    void gemmSplitByRowsAndByColumnsEveryTranspose() {
        Random r = new Random(5);
        int[][] shapes = {{300, 200, 100}, {64, 512, 2048}, {2048, 64, 64}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = randn(r, 7 + m * k), b = randn(r, 3 + k * n), c0 = randn(r, 5 + m * n + 2);
                    float[] cCpu = c0.clone(), cNd4j = c0.clone();
                    CPU.gemm(ta, tb, m, n, k, 0.5f, a, 7, b, 3, 1f, cCpu, 5);
                    ND4J.gemm(ta, tb, m, n, k, 0.5f, a, 7, b, 3, 1f, cNd4j, 5);
                    KernelAgreementTest.assertClose("gemm " + m + "x" + n + "x" + k + " " + ta + tb, cNd4j, cCpu, Math.sqrt(k) + 1);
                }
            }
        }
    }

    /**
     * ND4J's initialisation sets OpenBLAS to every core, and OpenBLAS's multi-threaded sgemm rounds differently: the
     * CPU GEMM must give the same bits after it (it failed so: a training run after any ND4J call differed from a
     * fresh JVM's). The thread count is set by hand here, as ND4J does, so the test does not depend on test order.
     */
    @Test
    void gemmBitsDoNotDependOnOpenBlasThreadCountSetBySomeoneElse() {
        Random r = new Random(8);
        int m = 1024, n = 48, k = 48;
        float[] a = randn(r, m * k), b = randn(r, k * n), before = new float[m * n], after = new float[m * n];
        CPU.gemm(false, true, m, n, k, 1f, a, 0, b, 0, 0f, before, 0);
        org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(2);
        CPU.gemm(false, true, m, n, k, 1f, a, 0, b, 0, 0f, after, 0);
        for (int i = 0; i < before.length; i++) assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "element " + i);
        assertEquals(1, org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads(), "OpenBLAS threads after a CPU GEMM");
    }

    @Test
    void elementWiseBroadcastAndReductionsOnLargeArrays() {
        Random r = new Random(6);
        int n = ROWS * COLS;
        float[] x = randn(r, n), y = randn(r, n), row = randn(r, COLS), gy = randn(r, n);
        for (Unary op : new Unary[] {Unary.GELU, Unary.EXP, Unary.TANH, Unary.RELU}) {
            float[][] out = {new float[n], new float[n]}, gx = {randn(new Random(1), n), randn(new Random(1), n)};
            Kernels[] ks = {CPU, ND4J};
            for (int i = 0; i < 2; i++) {
                ks[i].unary(op, x, out[i], n);
                ks[i].unaryBackward(op, x, out[i], gy, gx[i], n);
            }
            KernelAgreementTest.assertClose(op + " forward", out[1], out[0]);
            KernelAgreementTest.assertClose(op + " backward", gx[1], gx[0]);
        }
        int[] full = {ROWS, COLS}, last = {COLS};
        for (Binary op : Binary.values()) {
            float[] o1 = new float[n], o2 = new float[n], o3 = new float[n], o4 = new float[n];
            CPU.binary(op, x, full, y, full, o1, full);
            ND4J.binary(op, x, full, y, full, o2, full);
            CPU.binary(op, x, full, row, last, o3, full);
            ND4J.binary(op, x, full, row, last, o4, full);
            KernelAgreementTest.assertClose(op + " same shape", o2, o1);
            KernelAgreementTest.assertClose(op + " row broadcast", o4, o3);
        }
        float[] s1 = new float[COLS], s2 = new float[COLS], f1 = new float[n], f2 = new float[n];
        CPU.reduceToShape(gy, full, s1, last);
        ND4J.reduceToShape(gy, full, s2, last);
        CPU.reduceToShape(gy, full, f1, full);
        ND4J.reduceToShape(gy, full, f2, full);
        KernelAgreementTest.assertClose("column sums", s2, s1, Math.sqrt(ROWS));
        KernelAgreementTest.assertClose("same-shape accumulate", f2, f1);
    }

    @Test
    void softmaxAndNormsOnManyRows() {
        Random r = new Random(7);
        int n = ROWS * COLS;
        float[] x = randn(r, n), gy = randn(r, n), gamma = randn(r, COLS), beta = randn(r, COLS);
        for (boolean log : new boolean[] {false, true}) {
            for (boolean causal : new boolean[] {false, true}) {
                if (log && causal) continue;
                int rows = causal ? (ROWS / COLS) * COLS : ROWS; // causal rows come in square blocks
                float[] y1 = new float[rows * COLS], y2 = new float[rows * COLS], g1 = new float[rows * COLS], g2 = new float[rows * COLS];
                CPU.softmax(x, rows, COLS, log, causal, y1);
                ND4J.softmax(x, rows, COLS, log, causal, y2);
                KernelAgreementTest.assertClose("softmax log=" + log + " causal=" + causal, y2, y1);
                CPU.softmaxBackward(y1, gy, rows, COLS, log, g1);
                ND4J.softmaxBackward(y1, gy, rows, COLS, log, g2);
                KernelAgreementTest.assertClose("softmax backward log=" + log, g2, g1);
            }
        }
        for (boolean rms : new boolean[] {false, true}) {
            float[][] y = new float[2][n], mean = new float[2][ROWS], rstd = new float[2][ROWS];
            float[][] gx = new float[2][n], gg = new float[2][COLS], gb = new float[2][COLS];
            Kernels[] ks = {CPU, ND4J};
            for (int i = 0; i < 2; i++) {
                ks[i].norm(x, gamma, rms ? null : beta, ROWS, COLS, 1e-5f, rms, y[i], mean[i], rstd[i]);
                ks[i].normBackward(x, gamma, mean[0], rstd[0], gy, ROWS, COLS, rms, gx[i], gg[i], gb[i]);
            }
            KernelAgreementTest.assertClose("norm rms=" + rms, y[1], y[0]);
            KernelAgreementTest.assertClose("norm backward x rms=" + rms, gx[1], gx[0]);
            KernelAgreementTest.assertClose("norm backward gamma rms=" + rms, gg[1], gg[0], Math.sqrt(ROWS));
            KernelAgreementTest.assertClose("norm backward beta rms=" + rms, gb[1], gb[0], Math.sqrt(ROWS));
        }
    }

    @Test
    void attentionWithManyHeadsAgrees() {
        float[][] outs = new float[2][], gq = new float[2][], gk = new float[2][], gv = new float[2][];
        Kernels[] ks = {CPU, ND4J};
        for (int i = 0; i < 2; i++) {
            try (var scope = Kernels.using(ks[i])) {
                Rng rng = new Rng(3);
                Tensor q = Tensor.randn(rng, 4, 8, 32, 16).requiresGrad(true);
                Tensor k = Tensor.randn(rng, 4, 8, 32, 16).requiresGrad(true);
                Tensor v = Tensor.randn(rng, 4, 8, 32, 16).requiresGrad(true);
                Tensor o = Attention.scaledDotProduct(q, k, v, true);
                o.backward(Tensor.randn(new Rng(4), o.numel()).data());
                outs[i] = o.data().clone();
                gq[i] = q.grad().data();
                gk[i] = k.grad().data();
                gv[i] = v.grad().data();
            }
        }
        KernelAgreementTest.assertClose("attention output", outs[1], outs[0], 4);
        KernelAgreementTest.assertClose("attention dq", gq[1], gq[0], 4);
        KernelAgreementTest.assertClose("attention dk", gk[1], gk[0], 4);
        KernelAgreementTest.assertClose("attention dv", gv[1], gv[0], 4);
    }

    /**
     * The fused multi-head kernel (CPU, heads in place, Vector API) against per-head GEMMs under ND4J, for head widths
     * on both sides of the fused/GEMM crossover, with and without the causal mask, and against the split-heads
     * {@link Attention#scaledDotProduct} route on the CPU.
     */
    @Test
    void multiHeadAttentionAgreesWithPerHeadGemms() {
        for (int dHead : new int[] {5, 16, 24, 72}) {
            for (boolean causal : new boolean[] {true, false}) {
                int b = 3, t = 37, h = 3, d = h * dHead;
                float[][] outs = new float[3][], gq = new float[3][], gk = new float[3][], gv = new float[3][];
                for (int i = 0; i < 3; i++) {
                    try (var scope = Kernels.using(i == 1 ? ND4J : CPU)) {
                        Rng rng = new Rng(11);
                        Tensor q = Tensor.randn(rng, b, t, d).requiresGrad(true);
                        Tensor k = Tensor.randn(rng, b, t, d).requiresGrad(true);
                        Tensor v = Tensor.randn(rng, b, t, d).requiresGrad(true);
                        Tensor o = i < 2 ? Attention.multiHead(q, k, v, h, causal)
                                : Attention.scaledDotProduct(q.reshape(b, t, h, dHead).permute(0, 2, 1, 3), k.reshape(b, t, h, dHead).permute(0, 2, 1, 3),
                                        v.reshape(b, t, h, dHead).permute(0, 2, 1, 3), causal).permute(0, 2, 1, 3).reshape(b, t, d);
                        o.backward(Tensor.randn(new Rng(12), o.numel()).data());
                        outs[i] = o.data().clone();
                        gq[i] = q.grad().data();
                        gk[i] = k.grad().data();
                        gv[i] = v.grad().data();
                    }
                }
                for (int i = 1; i < 3; i++) {
                    String what = "dHead " + dHead + (causal ? " causal" : "") + (i == 1 ? " vs nd4j" : " vs split heads");
                    KernelAgreementTest.assertClose("attention output " + what, outs[i], outs[0], 4);
                    KernelAgreementTest.assertClose("attention dq " + what, gq[i], gq[0], 4);
                    KernelAgreementTest.assertClose("attention dk " + what, gk[i], gk[0], 4);
                    KernelAgreementTest.assertClose("attention dv " + what, gv[i], gv[0], 4);
                }
            }
        }
    }

    private static float[] randn(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
