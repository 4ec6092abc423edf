package org.moelab.tensor;

import static org.moelab.tensor.FloatMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** The species of every reduction: 8 lanes on any CPU, so the summation order is the same everywhere. */
    static final VectorSpecies<Float> REDUCE = FloatVector.SPECIES_256;
    static final int LANES = 8;
    // Constant vectors of SPECIES: a broadcast to a species read from a vector (v.species()) is not a compile-time
    // constant for C2 and loses the intrinsics.
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f), TWO = FloatVector.broadcast(SPECIES, 2f);

    private VectorMath() {}

    // ---------------------------------------------------------------- lane functions (FloatMath, lane by lane)

    // Written for C2 on JDK 17: no masks (compare/blend/test), which drop out of the vector intrinsics here on AVX-512
    // and cost 10-100x; lanewise(MAX/MIN, c) rather than max(c)/min(c) (exp over 2048x64 floats: 66 µs against
    // 260 µs); selections as bit operations on int lanes. The scalar functions in FloatMath make the same choices.

    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.lanewise(VectorOperators.MAX, EXP_MIN).lanewise(VectorOperators.MIN, EXP_MAX); // NaN stays NaN
        FloatVector t = xc.mul(LOG2E).add(ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector ni = ((IntVector) t.reinterpretAsInts()).sub(ROUND_BITS);
        FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector z = r.mul(r);
        FloatVector p = r.mul(E0).add(E1).mul(r).add(E2).mul(r).add(E3).mul(r).add(E4).mul(r).add(E5);
        p = p.mul(z).add(r).add(1f);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * log for lanes holding positive normal floats; {@link #log(float[], float[], int, int)} recomputes the other lanes
     * (zero, subnormal, negative, ∞, NaN) with {@link FloatMath#log}, which gives them the same bits it would here.
     */
    static FloatVector logOfNormal(FloatVector x) {
        IntVector xs = (IntVector) x.reinterpretAsInts();
        IntVector e = xs.lanewise(VectorOperators.ASHR, 23).and(0xff).sub(126);
        IntVector mantissa = xs.and(0x007fffff);
        IntVector below = mantissa.sub(SQRT_HALF_MANTISSA).lanewise(VectorOperators.ASHR, 31); // -1 where m < √½
        FloatVector m = (FloatVector) mantissa.or(0x3f000000).reinterpretAsFloats();
        FloatVector f = m.add((FloatVector) ((IntVector) m.reinterpretAsInts()).and(below).reinterpretAsFloats()).sub(1f);
        // (float) e for |e| < 2^22, exactly: the bits of ROUND + e, minus ROUND.
        FloatVector fe = ((FloatVector) e.add(below).add(ROUND_BITS).reinterpretAsFloats()).sub(ROUND);
        FloatVector z = f.mul(f);
        FloatVector y = f.mul(L0).add(L1).mul(f).add(L2).mul(f).add(L3).mul(f).add(L4).mul(f).add(L5).mul(f).add(L6)
                .mul(f).add(L7).mul(f).add(L8).mul(f).mul(z);
        y = y.add(fe.mul(LN2_LO));
        y = y.add(z.mul(-0.5f));
        FloatVector result = f.add(y);
        return result.add(fe.mul(LN2_HI));
    }

    static FloatVector tanh(FloatVector x) {
        IntVector bits = (IntVector) x.reinterpretAsInts();
        IntVector aBits = bits.and(0x7fffffff);
        FloatVector a = (FloatVector) aBits.reinterpretAsFloats();
        // exp(2|x|) overflows to ∞ above |x| = 44, where 1 - 2/(∞ + 1) = 1, as it should.
        FloatVector large = ONE.sub(TWO.div(exp(a.add(a)).add(1f)));
        FloatVector z = x.mul(x);
        FloatVector small = z.mul(T0).add(T1).mul(z).add(T2).mul(z).add(T3).mul(z).add(T4).mul(z).mul(x).add(x);
        // |small| below 0.625, large from there (and for NaN, whose bits compare above everything); then x's sign:
        // large ^ ((large ^ |small|) & useSmall) | sign.
        IntVector useSmall = aBits.sub(TANH_SMALL_BITS).lanewise(VectorOperators.ASHR, 31);
        IntVector largeBits = (IntVector) large.reinterpretAsInts(), smallBits = ((IntVector) small.reinterpretAsInts()).and(0x7fffffff);
        IntVector magnitude = largeBits.lanewise(VectorOperators.XOR, largeBits.lanewise(VectorOperators.XOR, smallBits).and(useSmall));
        return (FloatVector) magnitude.or(bits.and(0x80000000)).reinterpretAsFloats();
    }

    static FloatVector gelu(FloatVector v) {
        FloatVector inner = v.mul(v).mul(GELU_A).add(1f).mul(v).mul(GELU_C);
        return v.mul(0.5f).mul(tanh(inner).add(1f));
    }

    static FloatVector geluDerivative(FloatVector v) {
        FloatVector v2 = v.mul(v);
        FloatVector t = tanh(v2.mul(GELU_A).add(1f).mul(v).mul(GELU_C));
        FloatVector dInner = v2.mul(3 * GELU_A).add(1f).mul(GELU_C);
        FloatVector oneMinusT2 = ONE.sub(t.mul(t));
        return t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(oneMinusT2).mul(dInner));
    }

    // ---------------------------------------------------------------- element-wise loops

    /** y[yo+i] = exp(x[xo+i] - shift). */
    static void expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) exp(FloatVector.fromArray(SPECIES, x, xo + i).sub(shift)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = FloatMath.exp(x[xo + i] - shift);
    }

    /** y[yo+i] += scale·exp(x[xo+i]). */
    static void addScaledExp(float[] x, int xo, float scale, float[] y, int yo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector e = exp(FloatVector.fromArray(SPECIES, x, xo + i));
            e.mul(scale).add(FloatVector.fromArray(SPECIES, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += FloatMath.exp(x[xo + i]) * scale;
    }

    static void exp(float[] x, float[] y, int from, int to) {
        expShifted(x, from, 0f, y, from, to - from);
    }

    static void log(float[] x, float[] y, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            logOfNormal(FloatVector.fromArray(SPECIES, x, i)).intoArray(y, i);
            for (int j = i; j < i + SPECIES.length(); j++) {
                if (!(x[j] >= Float.MIN_NORMAL && x[j] < Float.POSITIVE_INFINITY)) y[j] = FloatMath.log(x[j]);
            }
        }
        for (; i < to; i++) y[i] = FloatMath.log(x[i]);
    }

    static void tanh(float[] x, float[] y, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) tanh(FloatVector.fromArray(SPECIES, x, i)).intoArray(y, i);
        for (; i < to; i++) y[i] = FloatMath.tanh(x[i]);
    }

    static void sigmoid(float[] x, float[] y, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            ONE.div(exp(v.neg()).add(1f)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = FloatMath.sigmoid(x[i]);
    }

    static void silu(float[] x, float[] y, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            v.div(exp(v.neg()).add(1f)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = FloatMath.silu(x[i]);
    }

    static void gelu(float[] x, float[] y, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) gelu(FloatVector.fromArray(SPECIES, x, i)).intoArray(y, i);
        for (; i < to; i++) y[i] = FloatMath.gelu(x[i]);
    }

    /** gx += gy · d gelu / dx over [from, to). */
    static void geluBackward(float[] x, float[] gy, float[] gx, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector d = geluDerivative(FloatVector.fromArray(SPECIES, x, i));
            FloatVector.fromArray(SPECIES, gx, i).add(d.mul(FloatVector.fromArray(SPECIES, gy, i))).intoArray(gx, i);
        }
        for (; i < to; i++) gx[i] += FloatMath.geluDerivative(x[i]) * gy[i];
    }

    // ---------------------------------------------------------------- reductions (fixed order)

    /** The lanes of an 8-lane accumulator added as ((0+1)+(2+3))+((4+5)+(6+7)). */
    private static float addLanes(FloatVector acc) {
        float a01 = acc.lane(0) + acc.lane(1), a23 = acc.lane(2) + acc.lane(3);
        float a45 = acc.lane(4) + acc.lane(5), a67 = acc.lane(6) + acc.lane(7);
        return (a01 + a23) + (a45 + a67);
    }

    static float sum(float[] x, int off, int n) {
        int i = 0;
        int bound = REDUCE.loopBound(n);
        FloatVector acc = FloatVector.zero(REDUCE);
        for (; i < bound; i += LANES) acc = acc.add(FloatVector.fromArray(REDUCE, x, off + i));
        float s = addLanes(acc);
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
        FloatVector acc = FloatVector.zero(REDUCE);
        for (; i < bound; i += LANES) {
            FloatVector dv = FloatVector.fromArray(REDUCE, x, off + i).sub(mu);
            acc = acc.add(dv.mul(dv));
        }
        float s = addLanes(acc);
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
        float s = addLanes(acc);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }
}
