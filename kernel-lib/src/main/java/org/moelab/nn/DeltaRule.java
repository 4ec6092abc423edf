package org.moelab.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.moelab.tensor.CustomOp;
import org.moelab.tensor.FloatMath;
import org.moelab.tensor.Parallel;
import org.moelab.tensor.Tensor;

/**
 * The matrix-memory recurrences of linear attention and Gated DeltaNet as fused ops with hand-written backward.
 *
 * <p>Per batch row and head, with a d_k × d_v state S (starting at zero) and c = d_k^-1/2:
 * <pre>
 *   q̂, k̂ = φ(q), φ(k)          φ = identity, per-head L2 norm (Gated DeltaNet) or elu+1 (linear attention)
 *   S̃ = α_t S_{t-1}              α_t = exp(g_t), g_t ≤ 0 the log-decay (α = 1 when no decay is given)
 *   u_t = β_t (v_t − S̃ᵀ k̂_t)     delta rule (linear attention: u_t = v_t, no β)
 *   S_t = S̃ + k̂_t u_tᵀ
 *   o_t = c S_tᵀ q̂_t               read after write: the token sees its own write
 * </pre>
 * {@link #scan} is the training form: one op over the whole sequence that keeps every S_t and back-propagates
 * through time with the equations of the paper notes (Part C). {@link #step} is the decoding form: one token,
 * the state updated in place, no graph. At T ≤ a few hundred and d ≤ 32 storing every state is cheaper than a
 * chunked (WY) form; the chunked form of fla is a GPU throughput device and mathematically identical.
 *
 * <p>Layouts are the projections' natural ones, so no permute is needed: q, k [B, T, H, d_k]; v [B, T, H, d_v];
 * β and g [B, T, H]; output [B, T, H, d_v].
 */
public final class DeltaRule {
    private DeltaRule() {}

    /** The feature map applied to q and k inside the op (per head). */
    public enum FeatureMap { IDENTITY, L2_NORM, ELU_PLUS_ONE }

    /** The L2 norm's epsilon (fla's l2norm uses 1e-6 inside the square root). */
    static final float L2_EPS = 1e-6f;

    /**
     * Gated delta rule over a sequence (β and g given) or, with {@code beta == null}, linear attention
     * (u = v; with {@code g == null} too, no decay).
     */
    public static Tensor scan(Tensor q, Tensor k, Tensor v, Tensor beta, Tensor g, FeatureMap phi) {
        int[] s = q.shape();
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) throw new IllegalArgumentException("DeltaRule.scan: q, k, v must be [batch, time, heads, dim], got q " + str(q) + ", k " + str(k) + ", v " + str(v));
        int b = s[0], t = s[1], h = s[2], dk = s[3], dv = v.size(3);
        if (!java.util.Arrays.equals(s, k.shape()) || v.size(0) != b || v.size(1) != t || v.size(2) != h) {
            throw new IllegalArgumentException("DeltaRule.scan: q " + str(q) + " and k " + str(k) + " must match, and v " + str(v) + " must share their [batch, time, heads]");
        }
        requireGate("beta", beta, b, t, h);
        requireGate("g", g, b, t, h);
        float c = (float) (1 / Math.sqrt(dk));
        boolean delta = beta != null;
        int n = b * t * h;
        float[] qh = new float[n * dk], kh = new float[n * dk], qNorm = new float[n], kNorm = new float[n];
        featureMap(phi, q.data(), qh, qNorm, n, dk);
        featureMap(phi, k.data(), kh, kNorm, n, dk);
        float[] vv = v.data(), bb = delta ? beta.data() : null, gg = g == null ? null : g.data();
        int ss = dk * dv;
        // states[(bi*h + hi)*(t+1) + step] : S before step 0 (zeros), then S_t after each step.
        float[] states = new float[b * h * (t + 1) * ss];
        float[] out = new float[n * dv];
        // Every (batch row, head) is its own recurrence writing its own rows: chunks of them run in parallel, each
        // with the same operations in the same order on any thread count.
        Parallel.forRange(b * h, 1, (p0, p1) -> {
            float[] r = new float[dv];
            for (int p = p0; p < p1; p++) {
                int bi = p / h, hi = p % h, base = p * (t + 1) * ss;
                for (int ti = 0; ti < t; ti++) {
                    int row = (bi * t + ti) * h + hi;
                    int prev = base + ti * ss, cur = prev + ss;
                    float alpha = gg == null ? 1f : (float) StrictMath.exp(gg[row]);
                    stepKernel(states, prev, states, cur, alpha, kh, row * dk, vv, row * dv, delta ? bb[row] : 1f, delta, dk, dv, r);
                    read(states, cur, qh, row * dk, c, out, row * dv, dk, dv);
                }
            }
        });
        int[] outShape = {b, t, h, dv};
        Tensor[] inputs = inputsOf(q, k, v, beta, g);
        return CustomOp.record(delta ? "gatedDeltaRule" : "linearAttentionScan", out, outShape, (dOut, grads) -> {
            float[] dqh = new float[n * dk], dkh = new float[n * dk];
            float[] dv_ = grads.needs(2) ? grads.of(2) : new float[n * dv];
            float[] dBeta = delta && grads.needs(3) ? grads.of(3) : null;
            float[] dG = gg != null && grads.needs(inputs.length - 1) ? grads.of(inputs.length - 1) : null;
            Parallel.forRange(b * h, 1, (p0, p1) -> {
                // ∂S̃ of every step of a sequence, kept for the decay gradients (see below)
                float[] gState = new float[ss], dSAll = new float[t * ss], tilde = new float[ss];
                float[] u = new float[dv], rr = new float[dv], du = new float[dv], acc = new float[dk];
                for (int p = p0; p < p1; p++) {
                    int bi = p / h, hi = p % h, base = p * (t + 1) * ss;
                    java.util.Arrays.fill(gState, 0f);
                    for (int ti = t - 1; ti >= 0; ti--) {
                        int row = (bi * t + ti) * h + hi, qo = row * dk, vo = row * dv;
                        int prev = base + ti * ss, cur = prev + ss;
                        float alpha = gg == null ? 1f : (float) StrictMath.exp(gg[row]);
                        int ds = ti * ss;
                        // o = c Sᵀ q̂: G += c q̂ doᵀ ; dq̂ = c S do
                        for (int i = 0; i < dk; i++) addScaled(gState, i * dv, c * qh[qo + i], dOut, vo, dv);
                        rowDots(states, cur, dOut, vo, dk, dv, acc);
                        for (int i = 0; i < dk; i++) dqh[qo + i] += c * acc[i];
                        // recompute S̃ = α S_prev, r = S̃ᵀ k̂, u
                        scale(states, prev, alpha, tilde, ss);
                        java.util.Arrays.fill(rr, 0f);
                        for (int i = 0; i < dk; i++) addScaled(rr, 0, kh[qo + i], tilde, i * dv, dv);
                        float bt = delta ? bb[row] : 1f;
                        for (int j = 0; j < dv; j++) u[j] = delta ? bt * (vv[vo + j] - rr[j]) : vv[vo + j];
                        // du = Gᵀ k̂ ; dk̂ = G u − β S̃ du
                        java.util.Arrays.fill(du, 0f);
                        for (int i = 0; i < dk; i++) addScaled(du, 0, kh[qo + i], gState, i * dv, dv);
                        rowDots(gState, 0, u, 0, dk, dv, acc);
                        for (int i = 0; i < dk; i++) dkh[qo + i] += acc[i];
                        if (delta) {
                            float dbeta = 0;
                            for (int j = 0; j < dv; j++) {
                                dv_[vo + j] += bt * du[j];
                                dbeta += du[j] * (vv[vo + j] - rr[j]);
                            }
                            if (dBeta != null) dBeta[row] += dbeta;
                            rowDots(tilde, 0, du, 0, dk, dv, acc);
                            for (int i = 0; i < dk; i++) {
                                subtractScaled(gState, i * dv, bt * kh[qo + i], du, dSAll, ds + i * dv, dv);   // ∂S̃
                                dkh[qo + i] -= bt * acc[i];
                            }
                        } else {
                            for (int j = 0; j < dv; j++) dv_[vo + j] += du[j];
                            System.arraycopy(gState, 0, dSAll, ds, ss);
                        }
                        // G ← α ∂S̃ for the previous step
                        scale(dSAll, ds, alpha, gState, ss);
                    }
                    // ∂α = ⟨∂S̃, S_prev⟩ ; ∂g = α ∂α, after the sequence: each step's sum is one serial chain of
                    // ss adds in x order, and four steps' chains run side by side instead of one after another.
                    if (dG != null) decayGradients(states, base, dSAll, gg, dG, bi, hi, t, h, ss);
                }
            });
            if (grads.needs(0)) featureMapBackward(phi, q.data(), qh, qNorm, dqh, grads.of(0), n, dk);
            if (grads.needs(1)) featureMapBackward(phi, k.data(), kh, kNorm, dkh, grads.of(1), n, dk);
        }, inputs);
    }

    /**
     * One decoding step for one token and all heads: updates {@code state} [H, d_k, d_v] in place and returns
     * o [H·d_v]. q, k [H·d_k], v [H·d_v]; beta null = linear attention; g null = no decay.
     */
    public static float[] step(float[] state, float[] q, float[] k, float[] v, float[] beta, float[] g, FeatureMap phi, int heads) {
        int dk = q.length / heads, dv = v.length / heads, ss = dk * dv;
        if (state.length != heads * ss) throw new IllegalArgumentException("DeltaRule.step: state has " + state.length + " floats, expected heads·d_k·d_v = " + heads * ss);
        float c = (float) (1 / Math.sqrt(dk));
        float[] qh = new float[q.length], kh = new float[k.length], norms = new float[heads];
        featureMap(phi, q, qh, norms, heads, dk);
        featureMap(phi, k, kh, norms, heads, dk);
        float[] out = new float[heads * dv], r = new float[dv];
        for (int hi = 0; hi < heads; hi++) {
            float alpha = g == null ? 1f : (float) StrictMath.exp(g[hi]);
            stepKernel(state, hi * ss, state, hi * ss, alpha, kh, hi * dk, v, hi * dv, beta == null ? 1f : beta[hi], beta != null, dk, dv, r);
            read(state, hi * ss, qh, hi * dk, c, out, hi * dv, dk, dv);
        }
        return out;
    }

    /**
     * Gated DeltaNet's log-decay g = −exp(A_log)·softplus(a + dt_bias) ≤ 0 per head, for a [..., H] and A_log,
     * dt_bias [H] (shared across memories in MoM). Softplus is evaluated stably (z > 20 → z).
     */
    public static Tensor logDecay(Tensor a, Tensor aLog, Tensor dtBias) {
        int h = a.size(-1), n = a.numel();
        if (aLog.numel() != h || dtBias.numel() != h) throw new IllegalArgumentException("DeltaRule.logDecay: A_log " + str(aLog) + " and dt_bias " + str(dtBias) + " need one value per head of a " + str(a));
        float[] x = a.data(), al = aLog.data(), db = dtBias.data(), out = new float[n];
        for (int i = 0; i < n; i++) {
            float z = x[i] + db[i % h];
            out[i] = (float) (-StrictMath.exp(al[i % h]) * softplus(z));
        }
        return CustomOp.record("gdnLogDecay", out, a.shape(), (dOut, grads) -> {
            float[] da = grads.needs(0) ? grads.of(0) : null, dal = grads.needs(1) ? grads.of(1) : null, ddb = grads.needs(2) ? grads.of(2) : null;
            for (int i = 0; i < n; i++) {
                int hi = i % h;
                double z = x[i] + db[hi];
                double dz = -StrictMath.exp(al[hi]) / (1 + StrictMath.exp(-z)) * dOut[i];
                if (da != null) da[i] += (float) dz;
                if (ddb != null) ddb[hi] += (float) dz;
                if (dal != null) dal[hi] += out[i] * dOut[i];
            }
        }, a, aLog, dtBias);
    }

    static double softplus(double z) {
        return z > 20 ? z : StrictMath.log1p(StrictMath.exp(z));
    }

    // The kernels below run along a state row (j, d_v wide) on the Vector API, which C2 leaves scalar. Each element
    // sees the same float operations in the same order as the scalar loop it replaces (sums over i stay in i order
    // per lane; sums over j stay scalar in j order), so every result keeps its bits. 256-bit vectors as in
    // tensor.VectorMath (wider ones ran slower beside them on this machine).
    private static final VectorSpecies<Float> V = FloatVector.SPECIES_256;

    /** S_out = α S_in + k̂ uᵀ with u = β(v − α S_inᵀ k̂) (delta) or u = v; in and out may alias. */
    private static void stepKernel(float[] sIn, int in, float[] sOut, int out, float alpha, float[] kh, int ko, float[] v, int vo,
                                   float beta, boolean delta, int dk, int dv, float[] r) {
        java.util.Arrays.fill(r, 0f);
        int bound = V.loopBound(dv);
        FloatVector a = FloatVector.broadcast(V, alpha);
        for (int i = 0; i < dk; i++) {
            float ki = kh[ko + i];
            FloatVector kv = FloatVector.broadcast(V, ki);
            int si = in + i * dv, so = out + i * dv, j = 0;
            for (; j < bound; j += V.length()) {
                FloatVector sv = a.mul(FloatVector.fromArray(V, sIn, si + j));
                sv.intoArray(sOut, so + j);
                FloatVector.fromArray(V, r, j).add(sv.mul(kv)).intoArray(r, j);
            }
            for (; j < dv; j++) {
                float sv = alpha * sIn[si + j];
                sOut[so + j] = sv;
                r[j] += sv * ki;
            }
        }
        for (int j = 0; j < dv; j++) r[j] = delta ? beta * (v[vo + j] - r[j]) : v[vo + j];
        for (int i = 0; i < dk; i++) addScaled(sOut, out + i * dv, kh[ko + i], r, 0, dv);
    }

    /** o = c Sᵀ q̂ */
    private static void read(float[] s, int so, float[] qh, int qo, float c, float[] out, int oo, int dk, int dv) {
        for (int i = 0; i < dk; i++) addScaled(out, oo, c * qh[qo + i], s, so + i * dv, dv);
    }

    /** y[yo + j] += a · x[xo + j] for j &lt; n. */
    private static void addScaled(float[] y, int yo, float a, float[] x, int xo, int n) {
        FloatVector av = FloatVector.broadcast(V, a);
        int j = 0;
        for (int bound = V.loopBound(n); j < bound; j += V.length()) {
            FloatVector.fromArray(V, y, yo + j).add(FloatVector.fromArray(V, x, xo + j).mul(av)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] += x[xo + j] * a;
    }

    /** y[yo + j] = x[xo + j] − a · d[j] for j &lt; n. */
    private static void subtractScaled(float[] x, int xo, float a, float[] d, float[] y, int yo, int n) {
        FloatVector av = FloatVector.broadcast(V, a);
        int j = 0;
        for (int bound = V.loopBound(n); j < bound; j += V.length()) {
            FloatVector.fromArray(V, x, xo + j).sub(av.mul(FloatVector.fromArray(V, d, j))).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] = x[xo + j] - a * d[j];
    }

    /** y[j] = a · x[xo + j] for j &lt; n. */
    private static void scale(float[] x, int xo, float a, float[] y, int n) {
        FloatVector av = FloatVector.broadcast(V, a);
        int j = 0;
        for (int bound = V.loopBound(n); j < bound; j += V.length()) {
            av.mul(FloatVector.fromArray(V, x, xo + j)).intoArray(y, j);
        }
        for (; j < n; j++) y[j] = a * x[xo + j];
    }

    /**
     * dot[i] = Σ_j m[mo + i·cols + j] · x[xo + j], each sum from 0 in j order: the rows' sums advance together (one
     * add per row per column) so that their dependency chains overlap instead of running one after another.
     */
    private static void rowDots(float[] m, int mo, float[] x, int xo, int rows, int cols, float[] dot) {
        java.util.Arrays.fill(dot, 0, rows, 0f);
        int i0 = 0;
        if (cols <= MAX_GATHER_STRIDE) {
            int[] rowStarts = ROW_STARTS[cols];
            // eight rows at a time, one lane each: lane i gathers m[i·cols + j] column by column
            for (int bound = V.loopBound(rows); i0 < bound; i0 += V.length()) {
                FloatVector acc = FloatVector.zero(V);
                int base = mo + i0 * cols;
                for (int j = 0; j < cols; j++) {
                    acc = acc.add(FloatVector.fromArray(V, m, base + j, rowStarts, 0).mul(FloatVector.broadcast(V, x[xo + j])));
                }
                acc.intoArray(dot, i0);
            }
        }
        for (int j = 0; j < cols; j++) {
            float xj = x[xo + j];
            for (int i = i0; i < rows; i++) dot[i] += m[mo + i * cols + j] * xj;
        }
    }

    private static final int MAX_GATHER_STRIDE = 64;
    /** ROW_STARTS[c] = {0, c, 2c, ..., 7c}: the gather offsets of eight rows of c columns. */
    private static final int[][] ROW_STARTS = new int[MAX_GATHER_STRIDE + 1][];

    static {
        for (int c = 0; c <= MAX_GATHER_STRIDE; c++) {
            ROW_STARTS[c] = new int[V.length()];
            for (int l = 0; l < V.length(); l++) ROW_STARTS[c][l] = l * c;
        }
    }

    /**
     * dG[row(ti)] += α_ti ⟨∂S̃_ti, S_{ti−1}⟩ for every step of one (batch row, head) sequence; each inner product is
     * summed in double in x order from 0, as one chain, four steps at a time.
     */
    private static void decayGradients(float[] states, int base, float[] dSAll, float[] gg, float[] dG, int bi, int hi, int t, int h, int ss) {
        int ti = 0;
        for (; ti + 4 <= t; ti += 4) {
            int s0 = base + ti * ss, d0 = ti * ss;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int x = 0; x < ss; x++) {
                a0 += dSAll[d0 + x] * states[s0 + x];
                a1 += dSAll[d0 + ss + x] * states[s0 + ss + x];
                a2 += dSAll[d0 + 2 * ss + x] * states[s0 + 2 * ss + x];
                a3 += dSAll[d0 + 3 * ss + x] * states[s0 + 3 * ss + x];
            }
            addDecayGradient(gg, dG, (bi * t + ti) * h + hi, a0);
            addDecayGradient(gg, dG, (bi * t + ti + 1) * h + hi, a1);
            addDecayGradient(gg, dG, (bi * t + ti + 2) * h + hi, a2);
            addDecayGradient(gg, dG, (bi * t + ti + 3) * h + hi, a3);
        }
        for (; ti < t; ti++) {
            int s0 = base + ti * ss, d0 = ti * ss;
            double a = 0;
            for (int x = 0; x < ss; x++) a += dSAll[d0 + x] * states[s0 + x];
            addDecayGradient(gg, dG, (bi * t + ti) * h + hi, a);
        }
    }

    private static void addDecayGradient(float[] gg, float[] dG, int row, double da) {
        float alpha = (float) StrictMath.exp(gg[row]);
        dG[row] += (float) (alpha * da);
    }

    /** y = φ(x) row by row (rows of length d); for L2 the norms are kept for the backward. */
    static void featureMap(FeatureMap phi, float[] x, float[] y, float[] norms, int rows, int d) {
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            switch (phi) {
                case IDENTITY -> System.arraycopy(x, o, y, o, d);
                case ELU_PLUS_ONE -> {
                    for (int i = 0; i < d; i++) y[o + i] = x[o + i] > 0 ? x[o + i] + 1 : FloatMath.exp(x[o + i]);
                }
                case L2_NORM -> {
                    double ss = 0;
                    for (int i = 0; i < d; i++) ss += (double) x[o + i] * x[o + i];
                    float norm = (float) Math.sqrt(ss + L2_EPS);
                    norms[r] = norm;
                    for (int i = 0; i < d; i++) y[o + i] = x[o + i] / norm;
                }
            }
        }
    }

    /** dx += J_φᵀ dy; for L2: dx = (dy − ŷ (ŷ·dy)) / ‖x‖. */
    static void featureMapBackward(FeatureMap phi, float[] x, float[] y, float[] norms, float[] dy, float[] dx, int rows, int d) {
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            switch (phi) {
                case IDENTITY -> {
                    for (int i = 0; i < d; i++) dx[o + i] += dy[o + i];
                }
                case ELU_PLUS_ONE -> {
                    for (int i = 0; i < d; i++) dx[o + i] += x[o + i] > 0 ? dy[o + i] : y[o + i] * dy[o + i];
                }
                case L2_NORM -> {
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += (double) y[o + i] * dy[o + i];
                    for (int i = 0; i < d; i++) dx[o + i] += (float) ((dy[o + i] - y[o + i] * dot) / norms[r]);
                }
            }
        }
    }

    private static void requireGate(String name, Tensor x, int b, int t, int h) {
        if (x == null) return;
        if (x.rank() != 3 || x.size(0) != b || x.size(1) != t || x.size(2) != h) {
            throw new IllegalArgumentException("DeltaRule.scan: " + name + " must be [batch, time, heads] = [" + b + ", " + t + ", " + h + "], got " + str(x));
        }
    }

    private static Tensor[] inputsOf(Tensor q, Tensor k, Tensor v, Tensor beta, Tensor g) {
        if (beta != null && g != null) return new Tensor[] {q, k, v, beta, g};
        if (beta != null) return new Tensor[] {q, k, v, beta};
        if (g != null) return new Tensor[] {q, k, v, g};
        return new Tensor[] {q, k, v};
    }

    private static String str(Tensor x) {
        return java.util.Arrays.toString(x.shape());
    }
}
