package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatMath}'s accuracy against {@code StrictMath} over dense sweeps of the float ranges training uses, its
 * special values, and that {@link VectorMath}'s vector bodies give the very bits of its scalar function.
 */
class FloatMathTest {
    /** Points per sweep: every 230th float of exp's range, every 700th of log's. */
    private static final int POINTS = 3_000_000;

    interface FloatFn {
        float apply(float x);
    }

    /** The largest error in ulps (of the float nearest the exact value) over the sweep of [lo, hi]. */
    static double maxUlp(FloatFn f, DoubleUnaryOperator exact, float lo, float hi, double[] worstX) {
        double worst = 0;
        for (float x : sweep(lo, hi)) {
            double e = exact.applyAsDouble(x);
            float got = f.apply(x);
            double ulp = Math.ulp((float) e);
            if (Double.isInfinite(e) || e == 0) {
                assertEquals((float) e, got, "at x = " + x);
                continue;
            }
            double err = Math.abs(got - e) / ulp;
            if (err > worst) {
                worst = err;
                worstX[0] = x;
            }
        }
        return worst;
    }

    /** About {@link #POINTS} floats in [lo, hi], evenly spaced in bit pattern (so as dense near 0 as the floats are). */
    static float[] sweep(float lo, float hi) {
        // Bit patterns are sign-magnitude: [lo, -0] is the run from bits(-0) up to bits(lo), [+0, hi] from 0 to bits(hi).
        long negative = lo < 0 ? (Float.floatToRawIntBits(lo) & 0x7fffffffL) + 1 : 0;
        long positive = hi > 0 ? Float.floatToRawIntBits(hi) - Float.floatToRawIntBits(Math.max(lo, 0f)) + 1L : 0;
        long stride = Math.max(1, (negative + positive) / POINTS);
        float[] out = new float[(int) ((negative + stride - 1) / stride + (positive + stride - 1) / stride)];
        int i = 0;
        for (long b = 0; b < negative; b += stride) out[i++] = -Float.intBitsToFloat((int) b);
        for (long b = 0; b < positive; b += stride) out[i++] = Float.intBitsToFloat((int) (Float.floatToRawIntBits(Math.max(lo, 0f)) + b));
        return java.util.Arrays.copyOf(out, i);
    }

    @Test
    void accuracyAgainstStrictMath() {
        double[] at = new double[1];
        double exp = maxUlp(FloatMath::exp, StrictMath::exp, -103f, 88.7f, at);
        double expAt = at[0];
        double log = maxUlp(FloatMath::log, StrictMath::log, Float.MIN_VALUE, Float.MAX_VALUE, at);
        double logAt = at[0];
        double tanh = maxUlp(FloatMath::tanh, StrictMath::tanh, -12f, 12f, at);
        double tanhAt = at[0];
        double sigmoid = maxUlp(FloatMath::sigmoid, x -> 1 / (1 + StrictMath.exp(-x)), -80f, 80f, at);
        double sigmoidAt = at[0];
        System.out.printf(Locale.ROOT, "FloatMath max ulp vs StrictMath (%d floats each): exp %.3f (x=%g) over [-103, 88.7]; "
                        + "log %.3f (x=%g) over (0, MAX]; tanh %.3f (x=%g) over [-12, 12]; sigmoid %.3f (x=%g) over [-80, 80]%n",
                POINTS, exp, expAt, log, logAt, tanh, tanhAt, sigmoid, sigmoidAt);
        assertTrue(exp <= 2, "exp: " + exp + " ulp at " + expAt);
        assertTrue(log <= 2, "log: " + log + " ulp at " + logAt);
        assertTrue(tanh <= 4, "tanh: " + tanh + " ulp at " + tanhAt);
        assertTrue(sigmoid <= 4, "sigmoid: " + sigmoid + " ulp at " + sigmoidAt);
    }

    @Test
    void specialValues() {
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(1f, FloatMath.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(88.73f)); // overflow threshold ln(MAX) = 88.7228
        assertTrue(Float.isFinite(FloatMath.exp(88.72f)));
        assertEquals(0f, FloatMath.exp(-104f)); // below half the smallest subnormal
        assertTrue(FloatMath.exp(-100f) > 0 && FloatMath.exp(-100f) < Float.MIN_NORMAL); // subnormal results
        assertEquals((float) StrictMath.exp(-100), FloatMath.exp(-100f), Math.ulp((float) StrictMath.exp(-100)));

        assertEquals(0f, FloatMath.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, FloatMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, FloatMath.log(-0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.log(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(FloatMath.log(-1f)));
        assertTrue(Float.isNaN(FloatMath.log(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(FloatMath.log(Float.NaN)));
        assertEquals((float) StrictMath.log(Float.MIN_VALUE), FloatMath.log(Float.MIN_VALUE), 1e-5f);

        assertEquals(0f, FloatMath.tanh(0f));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatMath.tanh(-0f)));
        assertEquals(1f, FloatMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FloatMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FloatMath.tanh(20f));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.NaN)));
        assertEquals(-FloatMath.tanh(0.7f), FloatMath.tanh(-0.7f)); // odd, on both sides of the 0.625 switch
        assertEquals(-FloatMath.tanh(0.3f), FloatMath.tanh(-0.3f));

        assertEquals(0.5f, FloatMath.sigmoid(0f));
        assertEquals(1f, FloatMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatMath.gelu(0f));
    }

    /** The vector body and the scalar tail must agree bit for bit, so a vector width never changes a result. */
    @Test
    void vectorLanesEqualTheScalarFunctionBitForBit() {
        float[] x = sweep(-120f, 120f);
        float[] extra = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72f, 88.73f, -103.9f, -104f, 0.625f, -0.625f, 9.5f};
        float[] all = new float[x.length + extra.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(extra, 0, all, x.length, extra.length);
        int n = all.length - all.length % VectorMath.SPECIES.length(); // whole vectors only: every element goes through lanes
        float[] y = new float[n];
        check("exp", all, n, y, () -> VectorMath.exp(all, y, 0, n), FloatMath::exp);
        check("log", all, n, y, () -> VectorMath.log(all, y, 0, n), FloatMath::log);
        check("tanh", all, n, y, () -> VectorMath.tanh(all, y, 0, n), FloatMath::tanh);
        check("sigmoid", all, n, y, () -> VectorMath.sigmoid(all, y, 0, n), FloatMath::sigmoid);
        check("silu", all, n, y, () -> VectorMath.silu(all, y, 0, n), FloatMath::silu);
        check("gelu", all, n, y, () -> VectorMath.gelu(all, y, 0, n), FloatMath::gelu);
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        check("gelu'", all, n, y, () -> {
            java.util.Arrays.fill(y, 0f);
            VectorMath.geluBackward(all, ones, y, 0, n);
        }, FloatMath::geluDerivative);
    }

    private static void check(String name, float[] x, int n, float[] y, Runnable vector, FloatFn scalar) {
        vector.run();
        for (int i = 0; i < n; i++) {
            float s = scalar.apply(x[i]);
            if (Float.isNaN(s) && Float.isNaN(y[i])) continue;
            if (name.equals("gelu'")) s = 0f + s * 1f;
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(y[i])) {
                throw new AssertionError(name + "(" + x[i] + "): vector " + y[i] + ", scalar " + s);
            }
        }
    }

    /** The fixed-order reductions: sums equal the order written in VectorMath's javadoc, for any length. */
    @Test
    void reductionsFollowTheDocumentedOrder() {
        java.util.Random r = new java.util.Random(3);
        for (int n : new int[] {0, 1, 7, 8, 9, 64, 100, 257}) {
            float[] a = new float[n + 3], b = new float[n + 5];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian() * (1 << r.nextInt(20));
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            float[] lanes = new float[8], dotLanes = new float[8];
            int bound = n - n % 8;
            for (int i = 0; i < bound; i++) {
                lanes[i % 8] += a[3 + i];
                dotLanes[i % 8] += a[3 + i] * b[5 + i];
            }
            float s = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
            float d = ((dotLanes[0] + dotLanes[1]) + (dotLanes[2] + dotLanes[3])) + ((dotLanes[4] + dotLanes[5]) + (dotLanes[6] + dotLanes[7]));
            for (int i = bound; i < n; i++) {
                s += a[3 + i];
                d += a[3 + i] * b[5 + i];
            }
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(VectorMath.sum(a, 3, n)), "sum n=" + n);
            assertEquals(Float.floatToRawIntBits(d), Float.floatToRawIntBits(VectorMath.dot(a, 3, b, 5, n)), "dot n=" + n);
        }
    }
}
