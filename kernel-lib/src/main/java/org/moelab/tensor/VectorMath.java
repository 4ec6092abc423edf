package org.moelab.tensor;

import static org.moelab.tensor.FloatMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loops on the Vector API whose results do not depend on how they run.
 *
 * <p><b>Transcendentals</b> ({@link #exp}, {@link #log}, {@link #tanh} and what is built on them) apply
 * {@link FloatMath}'s operations lane by lane, and the scalar tail calls {@link FloatMath} itself: the same bits
 * in a vector body and a tail, interpreted or compiled, at any vector width. Speed: exp over 2048x64 floats takes
 * about what the Vector API's own {@code lanewise(EXP)} took (bench suite {@code ops}).
 *
 * <p><b>Reductions</b> ({@link #sum}, {@link #dot}, {@link #max}, {@link #sumSquaredDeviations}) accumulate in
 * {@link #LANES} fixed lanes ({@link #REDUCE}, 256 bits, whatever the CPU prefers) and add the lanes in a tree
 * written out here, ((0+1)+(2+3))+((4+5)+(6+7)), then the tail in order, rather than {@code reduceLanes}, whose
 * order the JDK does not specify.
 */
final class VectorMath {
    /**
     * 256 bits for every loop, not SPECIES_PREFERRED: on this Zen 4 (AVX-512) JDK 17's 512-bit code, mixed with the
     * 256-bit reductions, ran 3-4x slower inside a training step than alone (lm-small, one thread, CPU time: fused
     * attention 35 → 8.5 ms per step, GELU forward+backward 19 → 10 ms with -XX:MaxVectorSize=32); Zen 4 splits
     * 512-bit operations in two anyway. Element-wise results do not depend on the width.
     */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    /** The species of every reduction: 8 lanes on any CPU, so the summation order is the same everywhere. */
    static final VectorSpecies<Float> REDUCE = FloatVector.SPECIES_256;
    static final int LANES = 8;

    private VectorMath() {}

    // ---------------------------------------------------------------- element-wise loops
    //
    // No method here takes or returns a FloatVector. A vector that crosses a call C2 does not inline is boxed into
    // a heap object, 10-20x slower than the loop; and C2 does not inline a callee already compiled on its own into
    // more than InlineSmallCode bytes, which is what the lane functions (exp: ~230 bytecodes) became once C1 code
    // had called them often enough (in a training step GELU of 2048x256 ran 9-10 ms instead of 0.7 ms). So exp and
    // log are written out in one loop each, and tanh, sigmoid, SiLU and GELU run in passes over L1-sized blocks
    // through a per-thread scratch: the lanes compute exactly FloatMath's sequence of operations, as before.

    /** Elements per pass of the blocked loops (a multiple of every vector length). */
    private static final int BLOCK = 512;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][BLOCK]);

    /** y[yo+i] = exp(x[xo+i] - shift): FloatMath.exp lane by lane. */
    static void expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        // Scalars broadcast once, outside the loop: JDK 17's v.sub(float) with a non-constant float in a loop is not
        // compiled to a plain vector op (exp over 4096 floats: 3.5 ns per element against 0.8 hoisted).
        FloatVector sh = FloatVector.broadcast(SPECIES, shift);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i).sub(sh);
            FloatVector xc = v.max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.mul(LOG2E).add(ROUND);
            FloatVector nf = t.sub(ROUND);
            IntVector ni = ((IntVector) t.reinterpretAsInts()).sub(ROUND_BITS);
            FloatVector r = xc.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
            FloatVector z = r.mul(r);
            FloatVector p = r.mul(E0).add(E1).mul(r).add(E2).mul(r).add(E3).mul(r).add(E4).mul(r).add(E5);
            p = p.mul(z).add(r).add(1f);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            // NaN in, NaN out: v != v only for NaN (compare(NE) is an intrinsic; test(IS_NAN) is not in JDK 17: 3.7 vs 0.8 ns per exp).
            p.mul(s1).mul(s2).blend(v, v.compare(VectorOperators.NE, v)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = FloatMath.exp(x[xo + i] - shift);
    }

    /** y[yo+i] += scale·exp(x[xo+i]). */
    static void addScaledExp(float[] x, int xo, float scale, float[] y, int yo, int n) {
        int bound = SPECIES.loopBound(n);
        float[] e = SCRATCH.get()[0];
        FloatVector sc = FloatVector.broadcast(SPECIES, scale);
        for (int b = 0; b < bound; b += BLOCK) {
            int len = Math.min(BLOCK, bound - b);
            expShifted(x, xo + b, 0f, e, 0, len);
            for (int i = 0; i < len; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, e, i).mul(sc).add(FloatVector.fromArray(SPECIES, y, yo + b + i)).intoArray(y, yo + b + i);
            }
        }
        for (int i = bound; i < n; i++) y[yo + i] += FloatMath.exp(x[xo + i]) * scale;
    }

    static void exp(float[] x, float[] y, int from, int to) {
        expShifted(x, from, 0f, y, from, to - from);
    }

    static void log(float[] y0, float[] y, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, y0, i);
            VectorMask<Float> subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
            FloatVector xs = x.blend(x.mul(SUBNORMAL_SCALE), subnormal);
            IntVector bits = (IntVector) xs.reinterpretAsInts();
            IntVector e = bits.lanewise(VectorOperators.ASHR, 23).and(0xff).sub(126);
            e = e.blend(e.sub(25), subnormal.cast(e.species()));
            FloatVector m = (FloatVector) bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
            VectorMask<Float> below = m.compare(VectorOperators.LT, SQRT_HALF);
            e = e.blend(e.sub(1), below.cast(e.species()));
            FloatVector f = m.sub(1f).blend(m.add(m).sub(1f), below);
            FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
            FloatVector z = f.mul(f);
            FloatVector r = f.mul(L0).add(L1).mul(f).add(L2).mul(f).add(L3).mul(f).add(L4).mul(f).add(L5).mul(f).add(L6)
                    .mul(f).add(L7).mul(f).add(L8).mul(f).mul(z);
            r = r.add(fe.mul(LN2_LO));
            r = r.add(z.mul(-0.5f));
            FloatVector result = f.add(r);
            result = result.add(fe.mul(LN2_HI));
            FloatVector special = FloatVector.broadcast(SPECIES, Float.NaN)
                    .blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f))
                    .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
            VectorMask<Float> regular = x.compare(VectorOperators.GT, 0f).and(x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            special.blend(result, regular).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = FloatMath.log(y0[i]);
    }

    /**
     * y[yo+i] = tanh(x[xo+i]) for n ≤ BLOCK, n a multiple of the vector length; e is scratch. y may be x.
     * Lanes: FloatMath.tanh's operations (exp(a + a) in a pass of its own).
     */
    private static void tanhBlock(float[] x, int xo, float[] y, int yo, int n, float[] e) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            FloatVector a = FloatVector.fromArray(SPECIES, x, xo + i).abs().min(TANH_CLAMP);
            a.add(a).intoArray(e, i);
        }
        expShifted(e, 0, 0f, e, 0, n);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f), two = FloatVector.broadcast(SPECIES, 2f);
        for (int i = 0; i < n; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i);
            FloatVector a = v.abs().min(TANH_CLAMP);
            FloatVector large = one.sub(two.div(FloatVector.fromArray(SPECIES, e, i).add(1f)));
            FloatVector z = v.mul(v);
            FloatVector small = z.mul(T0).add(T1).mul(z).add(T2).mul(z).add(T3).mul(z).add(T4).mul(z).mul(v).add(v);
            // copySign(large, x): the sign bit of x on |large|.
            IntVector sign = ((IntVector) v.reinterpretAsInts()).and(0x80000000);
            FloatVector signedLarge = (FloatVector) ((IntVector) large.reinterpretAsInts()).or(sign).reinterpretAsFloats();
            FloatVector result = small.blend(v, v.compare(VectorOperators.EQ, 0f));
            result.blend(signedLarge, a.compare(VectorOperators.GE, TANH_SMALL)).intoArray(y, yo + i);
        }
    }

    static void tanh(float[] x, float[] y, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        float[] e = SCRATCH.get()[0];
        for (int b = from; b < bound; b += BLOCK) tanhBlock(x, b, y, b, Math.min(BLOCK, bound - b), e);
        for (int i = bound; i < to; i++) y[i] = FloatMath.tanh(x[i]);
    }

    /** e[i] = exp(-x[xo+i]) for a block (n a multiple of the vector length). */
    private static void expNegBlock(float[] x, int xo, float[] e, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) FloatVector.fromArray(SPECIES, x, xo + i).neg().intoArray(e, i);
        expShifted(e, 0, 0f, e, 0, n);
    }

    static void sigmoid(float[] x, float[] y, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        float[] e = SCRATCH.get()[0];
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = from; b < bound; b += BLOCK) {
            int len = Math.min(BLOCK, bound - b);
            expNegBlock(x, b, e, len);
            for (int i = 0; i < len; i += SPECIES.length()) one.div(FloatVector.fromArray(SPECIES, e, i).add(1f)).intoArray(y, b + i);
        }
        for (int i = bound; i < to; i++) y[i] = FloatMath.sigmoid(x[i]);
    }

    static void silu(float[] x, float[] y, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        float[] e = SCRATCH.get()[0];
        for (int b = from; b < bound; b += BLOCK) {
            int len = Math.min(BLOCK, bound - b);
            expNegBlock(x, b, e, len);
            for (int i = 0; i < len; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, x, b + i).div(FloatVector.fromArray(SPECIES, e, i).add(1f)).intoArray(y, b + i);
            }
        }
        for (int i = bound; i < to; i++) y[i] = FloatMath.silu(x[i]);
    }

    /** t[i] = tanh(inner(x[xo+i])), GELU's inner argument (x·x·A + 1)·x·C, for a block. */
    private static void geluTanhBlock(float[] x, int xo, float[] t, int n, float[] e) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i);
            v.mul(v).mul(GELU_A).add(1f).mul(v).mul(GELU_C).intoArray(t, i);
        }
        tanhBlock(t, 0, t, 0, n, e);
    }

    static void gelu(float[] x, float[] y, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        float[][] s = SCRATCH.get();
        for (int b = from; b < bound; b += BLOCK) {
            int len = Math.min(BLOCK, bound - b);
            geluTanhBlock(x, b, s[1], len, s[0]);
            for (int i = 0; i < len; i += SPECIES.length()) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, b + i);
                v.mul(0.5f).mul(FloatVector.fromArray(SPECIES, s[1], i).add(1f)).intoArray(y, b + i);
            }
        }
        for (int i = bound; i < to; i++) y[i] = FloatMath.gelu(x[i]);
    }

    /** gx += gy · d gelu / dx over [from, to). */
    static void geluBackward(float[] x, float[] gy, float[] gx, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        float[][] s = SCRATCH.get();
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = from; b < bound; b += BLOCK) {
            int len = Math.min(BLOCK, bound - b);
            geluTanhBlock(x, b, s[1], len, s[0]);
            for (int i = 0; i < len; i += SPECIES.length()) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, b + i);
                FloatVector t = FloatVector.fromArray(SPECIES, s[1], i);
                FloatVector dInner = v.mul(v).mul(3 * GELU_A).add(1f).mul(GELU_C);
                FloatVector oneMinusT2 = one.sub(t.mul(t));
                FloatVector d = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(oneMinusT2).mul(dInner));
                FloatVector.fromArray(SPECIES, gx, b + i).add(d.mul(FloatVector.fromArray(SPECIES, gy, b + i))).intoArray(gx, b + i);
            }
        }
        for (int i = bound; i < to; i++) gx[i] += FloatMath.geluDerivative(x[i]) * gy[i];
    }

    /** Whether every value is finite: v - v is 0 for a finite v and NaN for ±Inf or NaN, and NaN survives a sum. */
    static boolean allFinite(float[] x) {
        int i = 0;
        int bound = REDUCE.loopBound(x.length);
        FloatVector acc = FloatVector.zero(REDUCE);
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(REDUCE, x, i);
            acc = acc.add(v.sub(v));
        }
        float s = ((acc.lane(0) + acc.lane(1)) + (acc.lane(2) + acc.lane(3))) + ((acc.lane(4) + acc.lane(5)) + (acc.lane(6) + acc.lane(7)));
        for (; i < x.length; i++) s += x[i] - x[i];
        return s == 0f;
    }

    // ---------------------------------------------------------------- reductions (fixed order)

    // The lanes of an 8-lane accumulator add as ((0+1)+(2+3))+((4+5)+(6+7)), written out at each use (see above
    // for why no helper takes a FloatVector).

    static float sum(float[] x, int off, int n) {
        int i = 0;
        int bound = REDUCE.loopBound(n);
        FloatVector acc = FloatVector.zero(REDUCE);
        for (; i < bound; i += LANES) acc = acc.add(FloatVector.fromArray(REDUCE, x, off + i));
        float s = ((acc.lane(0) + acc.lane(1)) + (acc.lane(2) + acc.lane(3))) + ((acc.lane(4) + acc.lane(5)) + (acc.lane(6) + acc.lane(7)));
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** The maximum (NaN if any element is NaN; the order does not matter for max, but the lanes are read the same way). */
    static float max(float[] x, int off, int n) {
        int i = 0;
        int bound = REDUCE.loopBound(n);
        float m = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(REDUCE, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += LANES) acc = acc.max(FloatVector.fromArray(REDUCE, x, off + i));
            for (int l = 0; l < LANES; l++) m = Math.max(m, acc.lane(l));
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** Σ (x[off+i] - mu)². */
    static float sumSquaredDeviations(float[] x, int off, int n, float mu) {
        int i = 0;
        int bound = REDUCE.loopBound(n);
        FloatVector acc = FloatVector.zero(REDUCE), m = FloatVector.broadcast(REDUCE, mu);
        for (; i < bound; i += LANES) {
            FloatVector dv = FloatVector.fromArray(REDUCE, x, off + i).sub(m);
            acc = acc.add(dv.mul(dv));
        }
        float s = ((acc.lane(0) + acc.lane(1)) + (acc.lane(2) + acc.lane(3))) + ((acc.lane(4) + acc.lane(5)) + (acc.lane(6) + acc.lane(7)));
        for (; i < n; i++) {
            float dv = x[off + i] - mu;
            s += dv * dv;
        }
        return s;
    }

    /** Σ a[ao+i]·b[bo+i]. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        int bound = REDUCE.loopBound(n);
        FloatVector acc = FloatVector.zero(REDUCE);
        for (; i < bound; i += LANES) acc = acc.add(FloatVector.fromArray(REDUCE, a, ao + i).mul(FloatVector.fromArray(REDUCE, b, bo + i)));
        float s = ((acc.lane(0) + acc.lane(1)) + (acc.lane(2) + acc.lane(3))) + ((acc.lane(4) + acc.lane(5)) + (acc.lane(6) + acc.lane(7)));
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }
}
