package org.moelab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A Vector API GEMM for the small products inside fused kernels (attention heads of 16-64 columns): no JNI, no
 * operand copies, operands read in place through strides, and optional causal bands that skip the zero half.
 *
 * <p><b>Bits:</b> every element of C is computed by the same sequence whatever the vector width, the register block
 * it falls in, the thread or the JIT tier: {@code acc = 0; for p ascending: acc = fma(A(i,p), B(p,j), acc)}, then
 * {@code C = acc·alpha} (or {@code acc·alpha + C}). Vector lanes use {@code FloatVector.fma} and the scalar tails
 * {@link Math#fma}, both the correctly rounded fused multiply-add, so a lane and a tail give the same bits. Blocking
 * depends on the shape only; where a band extends a block's range past an element's own band, the extra terms have
 * A = 0 (fma(0, b, acc) = acc for finite b; only the sign of a zero sum can follow the block, and blocks are fixed
 * by the shape).
 *
 * <p>No helper here takes a FloatVector (stores are written out): see {@link VectorMath} for why.
 */
final class SmallGemm {
    /** 256 bits, as {@link VectorMath#SPECIES} (why: there). */
    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = S.length();
    /** No band: every row sums over all of p. */
    static final int FULL = 0;
    /** Row i needs p ≤ i only (A(i, p) = 0 for p > i): the product of a causal matrix from the left. */
    static final int LOWER = 1;
    /** Row i needs p ≥ i only (A(i, p) = 0 for p < i): the transposed causal matrix from the left. */
    static final int UPPER = 2;

    /** Per-thread scratch for the products of a block's last, partial vector of columns (4 rows of L). */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[4 * L]);

    private SmallGemm() {}

    /**
     * C[i, j] = alpha·Σ_p A(i, p)·B[p, j] (+ C[i, j] with {@code accumulate}) for i < m, j < n, p < k, where
     * A(i, p) = a[ao + i·ars + p·acs], B[p, j] = b[bo + p·ldb + j], C[i, j] = c[co + i·ldc + j].
     * {@code kBand}: {@link #FULL}, {@link #LOWER} or {@link #UPPER}. {@code causalColumns}: row i needs only columns
     * j ≤ i; columns past that (up to the next vector boundary) may be written with values to ignore.
     */
    static void gemm(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean accumulate, int kBand, boolean causalColumns) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int p0 = kBand == UPPER ? i : 0, p1 = kBand == LOWER ? Math.min(k, i + 4) : k;
            int nEnd = causalColumns ? Math.min(n, roundUp(i + 4)) : n;
            block4(i, nEnd, p0, p1, alpha, a, ao, ars, acs, b, bo, ldb, c, co, ldc, accumulate);
        }
        for (; i < m; i++) {
            int p0 = kBand == UPPER ? i : 0, p1 = kBand == LOWER ? Math.min(k, i + 1) : k;
            int nEnd = causalColumns ? Math.min(n, roundUp(i + 1)) : n;
            block1(i, nEnd, p0, p1, alpha, a, ao, ars, acs, b, bo, ldb, c, co, ldc, accumulate);
        }
    }

    private static int roundUp(int x) {
        return (x + L - 1) / L * L;
    }

    private static void block4(int i, int nEnd, int p0, int p1, float alpha, float[] a, int ao, int ars, int acs,
                               float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int a0 = ao + i * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
        int c0 = co + i * ldc;
        FloatVector av = FloatVector.broadcast(S, alpha); // hoisted: see VectorMath.expShifted
        int j = 0;
        for (; j + 2 * L <= nEnd; j += 2 * L) {
            FloatVector x00 = FloatVector.zero(S), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
            for (int p = p0; p < p1; p++) {
                int bp = bo + p * ldb + j, ap = p * acs;
                FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector v0 = FloatVector.broadcast(S, a[a0 + ap]);
                x00 = b0.fma(v0, x00);
                x01 = b1.fma(v0, x01);
                FloatVector v1 = FloatVector.broadcast(S, a[a1 + ap]);
                x10 = b0.fma(v1, x10);
                x11 = b1.fma(v1, x11);
                FloatVector v2 = FloatVector.broadcast(S, a[a2 + ap]);
                x20 = b0.fma(v2, x20);
                x21 = b1.fma(v2, x21);
                FloatVector v3 = FloatVector.broadcast(S, a[a3 + ap]);
                x30 = b0.fma(v3, x30);
                x31 = b1.fma(v3, x31);
            }
            (accumulate ? x00.mul(av).add(FloatVector.fromArray(S, c, c0 + j)) : x00.mul(av)).intoArray(c, c0 + j);
            (accumulate ? x01.mul(av).add(FloatVector.fromArray(S, c, c0 + j + L)) : x01.mul(av)).intoArray(c, c0 + j + L);
            (accumulate ? x10.mul(av).add(FloatVector.fromArray(S, c, c0 + ldc + j)) : x10.mul(av)).intoArray(c, c0 + ldc + j);
            (accumulate ? x11.mul(av).add(FloatVector.fromArray(S, c, c0 + ldc + j + L)) : x11.mul(av)).intoArray(c, c0 + ldc + j + L);
            (accumulate ? x20.mul(av).add(FloatVector.fromArray(S, c, c0 + 2 * ldc + j)) : x20.mul(av)).intoArray(c, c0 + 2 * ldc + j);
            (accumulate ? x21.mul(av).add(FloatVector.fromArray(S, c, c0 + 2 * ldc + j + L)) : x21.mul(av)).intoArray(c, c0 + 2 * ldc + j + L);
            (accumulate ? x30.mul(av).add(FloatVector.fromArray(S, c, c0 + 3 * ldc + j)) : x30.mul(av)).intoArray(c, c0 + 3 * ldc + j);
            (accumulate ? x31.mul(av).add(FloatVector.fromArray(S, c, c0 + 3 * ldc + j + L)) : x31.mul(av)).intoArray(c, c0 + 3 * ldc + j + L);
        }
        for (; j + L <= nEnd; j += L) {
            FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
            for (int p = p0; p < p1; p++) {
                int ap = p * acs;
                FloatVector b0 = FloatVector.fromArray(S, b, bo + p * ldb + j);
                x0 = b0.fma(FloatVector.broadcast(S, a[a0 + ap]), x0);
                x1 = b0.fma(FloatVector.broadcast(S, a[a1 + ap]), x1);
                x2 = b0.fma(FloatVector.broadcast(S, a[a2 + ap]), x2);
                x3 = b0.fma(FloatVector.broadcast(S, a[a3 + ap]), x3);
            }
            (accumulate ? x0.mul(av).add(FloatVector.fromArray(S, c, c0 + j)) : x0.mul(av)).intoArray(c, c0 + j);
            (accumulate ? x1.mul(av).add(FloatVector.fromArray(S, c, c0 + ldc + j)) : x1.mul(av)).intoArray(c, c0 + ldc + j);
            (accumulate ? x2.mul(av).add(FloatVector.fromArray(S, c, c0 + 2 * ldc + j)) : x2.mul(av)).intoArray(c, c0 + 2 * ldc + j);
            (accumulate ? x3.mul(av).add(FloatVector.fromArray(S, c, c0 + 3 * ldc + j)) : x3.mul(av)).intoArray(c, c0 + 3 * ldc + j);
        }
        if (j < nEnd && p1 > p0 && bo + (p1 - 1) * ldb + j + L <= b.length) {
            // The last nEnd - j (< L) columns as one vector block: the B loads read past column nEnd - 1 (into the
            // next columns or rows of b, inside the array), and only the lanes below nEnd - j are stored, through
            // a scratch. A lane is the same fma chain as the scalar loop below, so the bits are the same.
            FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
            for (int p = p0; p < p1; p++) {
                int ap = p * acs;
                FloatVector b0 = FloatVector.fromArray(S, b, bo + p * ldb + j);
                x0 = b0.fma(FloatVector.broadcast(S, a[a0 + ap]), x0);
                x1 = b0.fma(FloatVector.broadcast(S, a[a1 + ap]), x1);
                x2 = b0.fma(FloatVector.broadcast(S, a[a2 + ap]), x2);
                x3 = b0.fma(FloatVector.broadcast(S, a[a3 + ap]), x3);
            }
            float[] t = TAIL.get();
            x0.mul(av).intoArray(t, 0);
            x1.mul(av).intoArray(t, L);
            x2.mul(av).intoArray(t, 2 * L);
            x3.mul(av).intoArray(t, 3 * L);
            int w = nEnd - j;
            for (int r = 0; r < 4; r++) {
                int cr = c0 + r * ldc + j;
                for (int q = 0; q < w; q++) c[cr + q] = accumulate ? t[r * L + q] + c[cr + q] : t[r * L + q];
            }
            return;
        }
        for (; j < nEnd; j++) {
            float x0 = 0, x1 = 0, x2 = 0, x3 = 0;
            for (int p = p0; p < p1; p++) {
                int ap = p * acs;
                float bv = b[bo + p * ldb + j];
                x0 = Math.fma(a[a0 + ap], bv, x0);
                x1 = Math.fma(a[a1 + ap], bv, x1);
                x2 = Math.fma(a[a2 + ap], bv, x2);
                x3 = Math.fma(a[a3 + ap], bv, x3);
            }
            store(x0, alpha, c, c0 + j, accumulate);
            store(x1, alpha, c, c0 + ldc + j, accumulate);
            store(x2, alpha, c, c0 + 2 * ldc + j, accumulate);
            store(x3, alpha, c, c0 + 3 * ldc + j, accumulate);
        }
    }

    private static void block1(int i, int nEnd, int p0, int p1, float alpha, float[] a, int ao, int ars, int acs,
                               float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int a0 = ao + i * ars, c0 = co + i * ldc;
        FloatVector av = FloatVector.broadcast(S, alpha);
        int j = 0;
        for (; j + L <= nEnd; j += L) {
            FloatVector x0 = FloatVector.zero(S);
            for (int p = p0; p < p1; p++) {
                x0 = FloatVector.fromArray(S, b, bo + p * ldb + j).fma(FloatVector.broadcast(S, a[a0 + p * acs]), x0);
            }
            (accumulate ? x0.mul(av).add(FloatVector.fromArray(S, c, c0 + j)) : x0.mul(av)).intoArray(c, c0 + j);
        }
        for (; j < nEnd; j++) {
            float x0 = 0;
            for (int p = p0; p < p1; p++) x0 = Math.fma(a[a0 + p * acs], b[bo + p * ldb + j], x0);
            store(x0, alpha, c, c0 + j, accumulate);
        }
    }

    private static void store(float acc, float alpha, float[] c, int off, boolean accumulate) {
        float r = acc * alpha;
        c[off] = accumulate ? r + c[off] : r;
    }
}
