package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link CpuKernels} and {@link Nd4jKernels} compute the same numbers: every op of {@link OpGradientTest} (output and
 * every input gradient), and every {@link Kernels} primitive directly on random shapes.
 *
 * <p>Tolerance, per element: {@code |nd4j − cpu| ≤ ABS + REL·|cpu|} with REL = 1e-4 and ABS = 1e-5. Both sides are
 * float32 but sum in different orders (BLAS blocking, ND4J's parallel reductions, composed against fused formulas),
 * which moves results by a few ulps of the largest term summed; REL covers that for ordinary values and ABS for
 * results that cancel to near zero. For GEMMs and sums whose terms are much larger than the result, ABS is scaled
 * by the size of the summed terms (see {@link #assertClose(String, float[], float[], double)}). Infinities must match
 * exactly (masked log-softmax entries are -inf on both sides).
 */
class KernelAgreementTest {
    static final double REL = 1e-4, ABS = 1e-5;

    private static final Kernels CPU = new CpuKernels(), ND4J = new Nd4jKernels();

    // ---------------------------------------------------------------- every op, forward and backward

    /** An op's output and the gradient of every input, for a fixed upstream gradient. */
    record Run(float[] output, List<float[]> grads) {}

    @TestFactory
    Stream<DynamicTest> everyOpAgreesForwardAndBackward() {
        return OpGradientTest.cases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Run cpu = run(c, CPU), nd4j = run(c, ND4J);
            assertClose(c.name() + ": output", cpu.output(), nd4j.output());
            for (int i = 0; i < cpu.grads().size(); i++) {
                assertClose(c.name() + ": gradient of input " + i, cpu.grads().get(i), nd4j.grads().get(i));
            }
        }));
    }

    private static Run run(OpGradientTest.Case c, Kernels kernels) {
        try (var scope = Kernels.using(kernels)) {
            List<Tensor> inputs = c.inputs().apply(new Rng(17));
            Tensor out = c.op().apply(inputs);
            // A random upstream gradient, so that every output element's backward path counts.
            out.backward(Tensor.randn(new Rng(23), out.numel()).data());
            List<float[]> grads = new ArrayList<>();
            for (Tensor in : inputs) grads.add(in.grad() == null ? new float[in.numel()] : in.grad().data());
            return new Run(out.data().clone(), grads);
        }
    }

    // ---------------------------------------------------------------- GEMM

    @Test
    void gemmNonSquareEveryTransposeWithOffsets() {
        Random r = new Random(1);
        float[] alphas = {1f, 0.5f, -2f}, betas = {0f, 1f, 0.75f};
        for (int trial = 0; trial < 30; trial++) {
            int m = 1 + r.nextInt(37), n = 1 + r.nextInt(37), k = 1 + r.nextInt(37);
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0, tb = (flags & 2) != 0;
                gemmCase(r, ta, tb, m, n, k, alphas[trial % 3], betas[(trial / 3) % 3], r.nextInt(8), r.nextInt(8), r.nextInt(8));
            }
        }
    }

    @Test
    void gemmLargerThanOneBlasBlock() {
        Random r = new Random(2);
        gemmCase(r, false, false, 129, 97, 203, 1f, 0f, 0, 0, 0);
        gemmCase(r, true, true, 64, 150, 80, 0.5f, 1f, 3, 5, 7);
    }

    @Test
    void gemmWithEmptyInnerDimensionScalesC() {
        Random r = new Random(3);
        gemmCase(r, false, false, 3, 4, 0, 1f, 0.5f, 2, 1, 3);
        gemmCase(r, true, false, 3, 4, 0, 1f, 0f, 0, 0, 0);
    }

    /** beta = 0 overwrites C without reading it (the BLAS convention): NaN or garbage there must not leak into the result. */
    @Test
    void gemmWithBetaZeroIgnoresOldC() {
        Random r = new Random(14);
        for (int k : new int[] {0, 5}) {
            float[] a = randn(r, 3 * 5), b = randn(r, 5 * 4);
            for (Kernels kernels : List.of(CPU, ND4J)) {
                float[] c = new float[12];
                Arrays.fill(c, Float.NaN);
                kernels.gemm(false, false, 3, 4, k, 1f, a, 0, b, 0, 0f, c, 0);
                for (float v : c) if (!Float.isFinite(v)) fail(kernels.name() + " gemm k=" + k + ": old C leaked: " + Arrays.toString(c));
            }
        }
    }

    /** Operands sit at offsets inside longer arrays; C's values outside its window must stay untouched. */
    private static void gemmCase(Random r, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                                 int aOff, int bOff, int cOff) {
        float[] a = randn(r, aOff + m * k + 3), b = randn(r, bOff + k * n + 2), c0 = randn(r, cOff + m * n + 5);
        float[] cCpu = c0.clone(), cNd4j = c0.clone();
        CPU.gemm(ta, tb, m, n, k, alpha, a, aOff, b, bOff, beta, cCpu, cOff);
        ND4J.gemm(ta, tb, m, n, k, alpha, a, aOff, b, bOff, beta, cNd4j, cOff);
        String what = String.format("gemm %s%s m=%d n=%d k=%d alpha=%s beta=%s offsets %d/%d/%d",
                ta ? "Aᵀ" : "A", tb ? "Bᵀ" : "B", m, n, k, alpha, beta, aOff, bOff, cOff);
        // Terms are products of N(0,1) values, so rounding grows with √k·|alpha|.
        assertClose(what, cCpu, cNd4j, Math.abs(alpha) * Math.sqrt(k) + 1);
        for (float[] c : List.of(cCpu, cNd4j)) {
            assertArrayEquals(Arrays.copyOf(c0, cOff), Arrays.copyOf(c, cOff), what + ": values before C changed");
            assertArrayEquals(Arrays.copyOfRange(c0, cOff + m * n, c0.length), Arrays.copyOfRange(c, cOff + m * n, c.length),
                    what + ": values after C changed");
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Test
    void unaryForwardAndBackwardEveryFunction() {
        Random r = new Random(4);
        for (Unary op : Unary.values()) {
            // Lengths around the vector width, so that the Vector API tails are covered on the CPU side.
            for (int n : new int[] {1, 15, 16, 17, 100, 1001}) {
                float[] x = domain(op, r, n);
                float[] yCpu = new float[n], yNd4j = new float[n];
                CPU.unary(op, x, yCpu, n);
                ND4J.unary(op, x, yNd4j, n);
                assertClose(op + " n=" + n, yCpu, yNd4j);

                float[] gy = randn(r, n), gx0 = randn(r, n);
                float[] gxCpu = gx0.clone(), gxNd4j = gx0.clone();
                CPU.unaryBackward(op, x, yCpu, gy, gxCpu, n);
                ND4J.unaryBackward(op, x, yCpu, gy, gxNd4j, n);
                assertClose(op + " backward n=" + n, gxCpu, gxNd4j);
            }
        }
    }

    /** Inputs inside the function's domain and away from kinks (log, sqrt: positive; relu, abs: not near 0). */
    private static float[] domain(Unary op, Random r, int n) {
        return switch (op) {
            case LOG, SQRT -> uniform(r, n, 0.1f, 4f);
            case RELU, ABS -> awayFromZero(r, n);
            default -> scaled(randn(r, n), 3f);
        };
    }

    @Test
    void affine() {
        Random r = new Random(5);
        float[] x = randn(r, 77), yCpu = new float[77], yNd4j = new float[77];
        CPU.affine(x, -1.5f, 0.25f, yCpu, 77);
        ND4J.affine(x, -1.5f, 0.25f, yNd4j, 77);
        assertClose("affine", yCpu, yNd4j);
    }

    /** Every subset of axes of a rank-3 shape broadcast on each side, with and without leading ones dropped. */
    @Test
    void binaryBroadcastInEveryPosition() {
        Random r = new Random(6);
        int[] full = {3, 4, 5};
        for (Binary op : Binary.values()) {
            for (int aMask = 0; aMask < 8; aMask++) {
                for (int bMask = 0; bMask < 8; bMask++) {
                    int[] as = broadcastFrom(full, aMask, r.nextBoolean()), bs = broadcastFrom(full, bMask, r.nextBoolean());
                    binaryCase(r, op, as, bs);
                }
            }
            binaryCase(r, op, new int[] {2, 3, 4, 5}, new int[] {3, 1, 5});
            binaryCase(r, op, new int[] {2, 1, 4, 1}, new int[] {1, 3, 1, 5});
            binaryCase(r, op, new int[] {3, 4}, new int[] {});
            binaryCase(r, op, new int[] {}, new int[] {1});
            binaryCase(r, op, new int[] {}, new int[] {});
        }
    }

    private static void binaryCase(Random r, Binary op, int[] aShape, int[] bShape) {
        int[] outShape = broadcastShape(aShape, bShape);
        float[] a = randn(r, Shapes.numel(aShape));
        // Divisors kept away from zero, with both signs.
        float[] b = op == Binary.DIV ? awayFromZero(r, Shapes.numel(bShape)) : randn(r, Shapes.numel(bShape));
        float[] outCpu = new float[Shapes.numel(outShape)], outNd4j = new float[outCpu.length];
        CPU.binary(op, a, aShape, b, bShape, outCpu, outShape);
        ND4J.binary(op, a, aShape, b, bShape, outNd4j, outShape);
        assertClose(op + " " + Shapes.str(aShape) + " with " + Shapes.str(bShape), outCpu, outNd4j);
    }

    @Test
    void reduceToShapeFromEveryBroadcastPosition() {
        Random r = new Random(7);
        for (int[] gShape : List.of(new int[] {3, 4, 5}, new int[] {2, 3, 4, 5})) {
            for (int mask = 0; mask < (1 << gShape.length); mask++) {
                reduceCase(r, gShape, broadcastFrom(gShape, mask, r.nextBoolean()));
            }
            reduceCase(r, gShape, new int[] {});
            reduceCase(r, gShape, new int[] {1});
        }
    }

    private static void reduceCase(Random r, int[] gShape, int[] outShape) {
        float[] g = randn(r, Shapes.numel(gShape)), out0 = randn(r, Shapes.numel(outShape));
        float[] outCpu = out0.clone(), outNd4j = out0.clone();
        CPU.reduceToShape(g, gShape, outCpu, outShape);
        ND4J.reduceToShape(g, gShape, outNd4j, outShape);
        // Up to 120 terms of N(0,1) summed into one value.
        assertClose("reduceToShape " + Shapes.str(gShape) + " -> " + Shapes.str(outShape), outCpu, outNd4j, 10);
    }

    // ---------------------------------------------------------------- reductions and scans

    @Test
    void axisReductionsAndScansOnRandomShapes() {
        Random r = new Random(8);
        for (int trial = 0; trial < 40; trial++) {
            int outer = 1 + r.nextInt(5), n = 1 + r.nextInt(9), inner = 1 + r.nextInt(5);
            String what = "[" + outer + "," + n + "," + inner + "]";
            float[] x = randn(r, outer * n * inner);

            float[] sCpu = new float[outer * inner], sNd4j = new float[outer * inner];
            CPU.sumAxis(x, outer, n, inner, sCpu);
            ND4J.sumAxis(x, outer, n, inner, sNd4j);
            assertClose("sumAxis " + what, sCpu, sNd4j, 3);

            maxCase(what, x, outer, n, inner);

            for (boolean reverse : new boolean[] {false, true}) {
                float[] yCpu = new float[x.length], yNd4j = new float[x.length];
                CPU.cumsum(x, outer, n, inner, reverse, yCpu);
                ND4J.cumsum(x, outer, n, inner, reverse, yNd4j);
                assertClose("cumsum " + (reverse ? "reverse " : "") + what, yCpu, yNd4j, 3);
            }
        }
    }

    @Test
    void maxAxisBreaksTiesAtTheFirstIndex() {
        Random r = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            int outer = 1 + r.nextInt(4), n = 2 + r.nextInt(6), inner = 1 + r.nextInt(4);
            float[] x = new float[outer * n * inner];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(3); // values in {0, 1, 2}: ties everywhere
            maxCase("ties [" + outer + "," + n + "," + inner + "]", x, outer, n, inner);
        }
    }

    private static void maxCase(String what, float[] x, int outer, int n, int inner) {
        float[] mCpu = new float[outer * inner], mNd4j = new float[outer * inner];
        int[] aCpu = new int[outer * inner], aNd4j = new int[outer * inner];
        CPU.maxAxis(x, outer, n, inner, mCpu, aCpu);
        ND4J.maxAxis(x, outer, n, inner, mNd4j, aNd4j);
        assertClose("maxAxis " + what, mCpu, mNd4j);
        assertArrayEquals(aCpu, aNd4j, "argmax " + what);
    }

    // ---------------------------------------------------------------- softmax

    @Test
    void softmaxEveryMode() {
        Random r = new Random(10);
        for (int trial = 0; trial < 12; trial++) {
            int cols = 1 + r.nextInt(12);
            for (boolean causal : new boolean[] {false, true}) {
                // Causal rows come in square blocks of cols rows.
                int rows = causal ? cols * (1 + r.nextInt(3)) : 1 + r.nextInt(9);
                // Large logits: the max-shift must be there on both sides.
                float[] x = scaled(randn(r, rows * cols), 8f);
                for (boolean log : new boolean[] {false, true}) {
                    String what = (log ? "logSoftmax" : "softmax") + (causal ? " causal" : "") + " [" + rows + "," + cols + "]";
                    float[] yCpu = new float[x.length], yNd4j = new float[x.length];
                    CPU.softmax(x, rows, cols, log, causal, yCpu);
                    ND4J.softmax(x, rows, cols, log, causal, yNd4j);
                    assertClose(what, yCpu, yNd4j);

                    float[] gy = randn(r, x.length), gx0 = randn(r, x.length);
                    float[] gxCpu = gx0.clone(), gxNd4j = gx0.clone();
                    CPU.softmaxBackward(yCpu, gy, rows, cols, log, gxCpu);
                    ND4J.softmaxBackward(yCpu, gy, rows, cols, log, gxNd4j);
                    assertClose(what + " backward", gxCpu, gxNd4j, 3);
                }
            }
        }
    }

    // ---------------------------------------------------------------- norms

    @Test
    void normsForwardAndBackwardWithEveryOptionalBuffer() {
        Random r = new Random(11);
        for (int trial = 0; trial < 6; trial++) {
            int rows = 1 + r.nextInt(7), cols = 1 + r.nextInt(40);
            float[] x = randn(r, rows * cols), gamma = randn(r, cols), beta = randn(r, cols), gy = randn(r, rows * cols);
            for (boolean rms : new boolean[] {false, true}) {
                for (boolean withBeta : new boolean[] {false, true}) {
                    String what = (rms ? "rmsNorm" : "layerNorm") + (withBeta ? "+beta" : "") + " [" + rows + "," + cols + "]";
                    float[] yC = new float[x.length], yN = new float[x.length];
                    float[] muC = new float[rows], muN = new float[rows], rsC = new float[rows], rsN = new float[rows];
                    CPU.norm(x, gamma, withBeta ? beta : null, rows, cols, 1e-5f, rms, yC, muC, rsC);
                    ND4J.norm(x, gamma, withBeta ? beta : null, rows, cols, 1e-5f, rms, yN, muN, rsN);
                    assertClose(what + " y", yC, yN);
                    assertClose(what + " mean", muC, muN);
                    assertClose(what + " rstd", rsC, rsN);
                }
                // Every combination of wanted gradients; each buffer starts non-zero (accumulation).
                for (int wanted = 0; wanted < 8; wanted++) {
                    float[] mean = new float[rows], rstd = new float[rows];
                    CPU.norm(x, gamma, null, rows, cols, 1e-5f, rms, new float[x.length], mean, rstd);
                    float[] gx0 = randn(r, x.length), gg0 = randn(r, cols), gb0 = randn(r, cols);
                    float[][] cpu = optional(wanted, gx0, gg0, gb0), nd4j = optional(wanted, gx0, gg0, gb0);
                    CPU.normBackward(x, gamma, mean, rstd, gy, rows, cols, rms, cpu[0], cpu[1], cpu[2]);
                    ND4J.normBackward(x, gamma, mean, rstd, gy, rows, cols, rms, nd4j[0], nd4j[1], nd4j[2]);
                    String what = (rms ? "rmsNorm" : "layerNorm") + " backward [" + rows + "," + cols + "] buffers " + wanted;
                    for (int i = 0; i < 3; i++) if (cpu[i] != null) assertClose(what + " #" + i, cpu[i], nd4j[i], 5);
                }
            }
        }
    }

    // ---------------------------------------------------------------- rows

    @Test
    void gatherAndScatterAddRowsWithRepeatedIndices() {
        Random r = new Random(12);
        for (int trial = 0; trial < 20; trial++) {
            int rows = 1 + r.nextInt(6), cols = 1 + r.nextInt(7), picks = 1 + r.nextInt(3 * rows + 2);
            int[] index = IntStream.range(0, picks).map(i -> r.nextInt(rows)).toArray();
            String what = rows + " rows of " + cols + ", index " + Arrays.toString(index);

            float[] x = randn(r, rows * cols);
            float[] gCpu = new float[picks * cols], gNd4j = new float[picks * cols];
            CPU.gatherRows(x, cols, index, gCpu);
            ND4J.gatherRows(x, cols, index, gNd4j);
            assertArrayEquals(gCpu, gNd4j, "gatherRows " + what);

            float[] src = randn(r, picks * cols), out0 = randn(r, rows * cols);
            float[] sCpu = out0.clone(), sNd4j = out0.clone();
            CPU.scatterAddRows(src, cols, index, sCpu);
            ND4J.scatterAddRows(src, cols, index, sNd4j);
            assertClose("scatterAddRows " + what, sCpu, sNd4j, 3);
        }
    }

    // ---------------------------------------------------------------- convolution

    @Test
    void causalConv1dForwardAndBackward() {
        Random r = new Random(13);
        for (int trial = 0; trial < 12; trial++) {
            // Widths up to 5 against times from 1: the window may be longer than the sequence.
            int batch = 1 + r.nextInt(3), time = 1 + r.nextInt(8), channels = 1 + r.nextInt(5), width = 1 + r.nextInt(5);
            String what = "conv [" + batch + "," + time + "," + channels + "] width " + width;
            float[] x = randn(r, batch * time * channels), w = randn(r, channels * width), gy = randn(r, x.length);
            float[] yCpu = new float[x.length], yNd4j = new float[x.length];
            CPU.causalConv1d(x, w, batch, time, channels, width, yCpu);
            ND4J.causalConv1d(x, w, batch, time, channels, width, yNd4j);
            assertClose(what, yCpu, yNd4j, 3);

            for (int wanted = 1; wanted < 4; wanted++) {
                float[] gx0 = randn(r, x.length), gw0 = randn(r, w.length);
                float[][] cpu = optional(wanted, gx0, gw0), nd4j = optional(wanted, gx0, gw0);
                CPU.causalConv1dBackward(x, w, gy, batch, time, channels, width, cpu[0], cpu[1]);
                ND4J.causalConv1dBackward(x, w, gy, batch, time, channels, width, nd4j[0], nd4j[1]);
                for (int i = 0; i < 2; i++) if (cpu[i] != null) assertClose(what + " backward #" + i, cpu[i], nd4j[i], 5);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static void assertClose(String what, float[] expected, float[] actual) {
        assertClose(what, expected, actual, 1);
    }

    /**
     * Element-wise {@code |actual − expected| ≤ ABS·absScale + REL·|expected|}; equal infinities and NaNs match.
     * {@code absScale} is the typical magnitude of the terms a result was summed from.
     */
    static void assertClose(String what, float[] expected, float[] actual, double absScale) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.compare(e, a) == 0) continue; // same value, same infinity, or both NaN
            double err = Math.abs((double) a - e);
            if (!(err <= ABS * absScale + REL * Math.abs(e))) {
                fail(what + ": element " + i + " cpu " + e + " vs nd4j " + a + " (diff " + err + ")");
            }
        }
    }

    /** The buffers whose bit is set in {@code wanted} (copies), others null. */
    private static float[][] optional(int wanted, float[]... buffers) {
        float[][] out = new float[buffers.length][];
        for (int i = 0; i < buffers.length; i++) out[i] = (wanted & (1 << i)) != 0 ? buffers[i].clone() : null;
        return out;
    }

    /** {@code full} with the axes in {@code mask} set to 1; with {@code dropLeading}, leading ones removed. */
    private static int[] broadcastFrom(int[] full, int mask, boolean dropLeading) {
        int[] s = full.clone();
        for (int d = 0; d < s.length; d++) if ((mask & (1 << d)) != 0) s[d] = 1;
        int lead = 0;
        while (dropLeading && lead < s.length && s[lead] == 1) lead++;
        return Arrays.copyOfRange(s, lead, s.length);
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) < 0 ? 1 : a[i - (rank - a.length)];
            int db = i - (rank - b.length) < 0 ? 1 : b[i - (rank - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }

    private static float[] randn(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static float[] uniform(Random r, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * r.nextFloat();
        return x;
    }

    private static float[] awayFromZero(Random r, int n) {
        float[] x = randn(r, n);
        for (int i = 0; i < n; i++) x[i] += x[i] >= 0 ? 0.2f : -0.2f;
        return x;
    }

    private static float[] scaled(float[] x, float s) {
        for (int i = 0; i < x.length; i++) x[i] *= s;
        return x;
    }
}
