package org.moelab.tensor;

/**
 * exp, log, tanh and the functions built on them, in float, with a fixed sequence of IEEE operations: the same
 * input gives the same bits in every JVM, whether the caller runs interpreted, C1- or C2-compiled.
 *
 * <p>Why not {@code Math.exp} or the Vector API's {@code lanewise(EXP)}: the JDK may compute those differently in
 * different execution modes (the Vector API's transcendental lanes go to a vector math library once C2 compiles the
 * loop, and to scalar {@code Math} calls before), so a training run's first steps could round differently from its
 * later ones. Only additions, multiplications, divisions, comparisons and bit manipulation are used here; Java
 * evaluates each of them exactly rounded, and no step is fused.
 *
 * <p>{@link VectorMath} applies the very same operations lane by lane, so a result never depends on whether an
 * element fell into a vector body or a scalar tail. The algorithms are Cephes' {@code expf}, {@code logf} and
 * {@code tanhf} (S. L. Moshier): Cody–Waite range reduction and minimax polynomials. Measured against
 * {@code StrictMath} over every float in the ranges training uses (FloatMathTest prints the table): exp and log
 * within 1 ulp, tanh within 2 ulp.
 */
public final class FloatMath {
    // exp: x = n·ln2 + r with |r| ≤ ln2/2; ln2 split so that n·LN2_HI is exact for |n| ≤ 2^15.
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer (round half to even). */
    static final float ROUND = 12582912f;
    static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** Inputs are clamped to [EXP_MIN, EXP_MAX]: exp underflows to 0 below -103.97 and overflows to ∞ above 88.72. */
    static final float EXP_MIN = -104f, EXP_MAX = 89f;
    static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f, E3 = 4.1665795894e-2f,
            E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    // log: x = m·2^e with m in [√½, √2); log(x) = log1p(m - 1) + e·ln2.
    static final float SQRT_HALF = 0.707106781186547524f;
    static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f, L3 = -1.2420140846e-1f,
            L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f, L6 = 2.0000714765e-1f, L7 = -2.4999993993e-1f,
            L8 = 3.3333331174e-1f;
    /** 2^25: scales a subnormal input into the normal range. */
    static final float SUBNORMAL_SCALE = 33554432f;

    // tanh: an odd polynomial below 0.625, 1 - 2/(exp(2|x|) + 1) above; |x| is clamped at 10, where tanh rounds to 1.
    static final float TANH_SMALL = 0.625f, TANH_CLAMP = 10f;
    static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f, T3 = 1.33314422036e-1f,
            T4 = -3.33332819422e-1f;

    /** √(2/π), the GELU tanh approximation's scale. */
    static final float GELU_C = 0.7978845608028654f, GELU_A = 0.044715f;

    private FloatMath() {}

    /** e^x: NaN for NaN, 0 below -103.97, ∞ above 88.72; within 1 ulp elsewhere. */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = xc * LOG2E + ROUND;
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - ROUND_BITS;
        float r = xc - n * LN2_HI - n * LN2_LO;
        float z = r * r;
        float p = ((((E0 * r + E1) * r + E2) * r + E3) * r + E4) * r + E5;
        p = p * z + r + 1f;
        // 2^n in two factors, so that n down to -150 (subnormal results) and up to 128 (overflow to ∞) stay exact.
        int n1 = ni >> 1;
        int n2 = ni - n1;
        float result = p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
        return x != x ? x : result; // NaN in, the same NaN out (its payload kept, as the vector lanes keep it)
    }

    /** Natural logarithm: NaN below 0 and for NaN, -∞ at ±0, ∞ at ∞; within 1 ulp elsewhere. */
    public static float log(float x) {
        boolean subnormal = x < Float.MIN_NORMAL;
        float xs = subnormal ? x * SUBNORMAL_SCALE : x;
        int bits = Float.floatToRawIntBits(xs);
        int e = ((bits >> 23) & 0xff) - 126 - (subnormal ? 25 : 0);
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000); // in [0.5, 1)
        float f;
        if (m < SQRT_HALF) {
            e -= 1;
            f = m + m - 1f;
        } else {
            f = m - 1f;
        }
        float fe = e;
        float z = f * f;
        float y = ((((((((L0 * f + L1) * f + L2) * f + L3) * f + L4) * f + L5) * f + L6) * f + L7) * f + L8) * f * z;
        y = y + LN2_LO * fe;
        y = y + -0.5f * z;
        float result = f + y;
        result = result + LN2_HI * fe;
        if (x > 0 && x < Float.POSITIVE_INFINITY) return result;
        if (x == 0) return Float.NEGATIVE_INFINITY;
        if (x == Float.POSITIVE_INFINITY) return x;
        return Float.NaN;
    }

    /** Hyperbolic tangent: odd, ±1 beyond ±9.01, NaN for NaN; within 2 ulp elsewhere. */
    public static float tanh(float x) {
        float a = Math.min(Math.abs(x), TANH_CLAMP);
        float large = 1f - 2f / (exp(a + a) + 1f);
        float z = x * x;
        float small = ((((T0 * z + T1) * z + T2) * z + T3) * z + T4) * z * x + x;
        if (a >= TANH_SMALL) return Math.copySign(large, x);
        return x == 0 ? x : small;
    }

    /** 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    /** x / (1 + e^-x), SiLU (swish). */
    public static float silu(float x) {
        return x / (exp(-x) + 1f);
    }

    /** The tanh approximation of GELU: ½x(1 + tanh(√(2/π)(x + 0.044715x³))), PyTorch's {@code approximate='tanh'}. */
    public static float gelu(float x) {
        float inner = (x * x * GELU_A + 1f) * x * GELU_C;
        return x * 0.5f * (tanh(inner) + 1f);
    }

    /** d gelu / dx, the derivative of {@link #gelu}. */
    public static float geluDerivative(float x) {
        float x2 = x * x;
        float t = tanh((x2 * GELU_A + 1f) * x * GELU_C);
        float dInner = (x2 * (3 * GELU_A) + 1f) * GELU_C;
        return (t + 1f) * 0.5f + x * 0.5f * (1f - t * t) * dInner;
    }
}
