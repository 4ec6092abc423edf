package org.moelab.nn;

import org.moelab.tensor.CustomOp;
import org.moelab.tensor.FloatMath;
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
        float[] r = new float[dv];
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                int base = (bi * h + hi) * (t + 1) * ss;
                for (int ti = 0; ti < t; ti++) {
                    int row = (bi * t + ti) * h + hi;
                    int prev = base + ti * ss, cur = prev + ss;
                    float alpha = gg == null ? 1f : (float) StrictMath.exp(gg[row]);
                    stepKernel(states, prev, states, cur, alpha, kh, row * dk, vv, row * dv, delta ? bb[row] : 1f, delta, dk, dv, r);
                    read(states, cur, qh, row * dk, c, out, row * dv, dk, dv);
                }
            }
        }
        int[] outShape = {b, t, h, dv};
        Tensor[] inputs = inputsOf(q, k, v, beta, g);
        return CustomOp.record(delta ? "gatedDeltaRule" : "linearAttentionScan", out, outShape, (dOut, grads) -> {
            float[] dqh = new float[n * dk], dkh = new float[n * dk];
            float[] dv_ = grads.needs(2) ? grads.of(2) : new float[n * dv];
            float[] dBeta = delta && grads.needs(3) ? grads.of(3) : null;
            float[] dG = gg != null && grads.needs(inputs.length - 1) ? grads.of(inputs.length - 1) : null;
            float[] gState = new float[ss], dS = new float[ss], tilde = new float[ss];
            float[] u = new float[dv], rr = new float[dv], du = new float[dv];
            for (int bi = 0; bi < b; bi++) {
                for (int hi = 0; hi < h; hi++) {
                    int base = (bi * h + hi) * (t + 1) * ss;
                    java.util.Arrays.fill(gState, 0f);
                    for (int ti = t - 1; ti >= 0; ti--) {
                        int row = (bi * t + ti) * h + hi, qo = row * dk, vo = row * dv;
                        int prev = base + ti * ss, cur = prev + ss;
                        float alpha = gg == null ? 1f : (float) StrictMath.exp(gg[row]);
                        // o = c Sᵀ q̂: G += c q̂ doᵀ ; dq̂ = c S do
                        for (int i = 0; i < dk; i++) {
                            float qi = c * qh[qo + i], acc = 0;
                            for (int j = 0; j < dv; j++) {
                                gState[i * dv + j] += qi * dOut[vo + j];
                                acc += states[cur + i * dv + j] * dOut[vo + j];
                            }
                            dqh[qo + i] += c * acc;
                        }
                        // recompute S̃ = α S_prev, r = S̃ᵀ k̂, u
                        for (int x = 0; x < ss; x++) tilde[x] = alpha * states[prev + x];
                        java.util.Arrays.fill(rr, 0f);
                        for (int i = 0; i < dk; i++) {
                            float ki = kh[qo + i];
                            for (int j = 0; j < dv; j++) rr[j] += tilde[i * dv + j] * ki;
                        }
                        float bt = delta ? bb[row] : 1f;
                        for (int j = 0; j < dv; j++) u[j] = delta ? bt * (vv[vo + j] - rr[j]) : vv[vo + j];
                        // du = Gᵀ k̂ ; dk̂ = G u − β S̃ du
                        java.util.Arrays.fill(du, 0f);
                        for (int i = 0; i < dk; i++) {
                            float ki = kh[qo + i], acc = 0;
                            for (int j = 0; j < dv; j++) {
                                du[j] += gState[i * dv + j] * ki;
                                acc += gState[i * dv + j] * u[j];
                            }
                            dkh[qo + i] += acc;
                        }
                        if (delta) {
                            float dbeta = 0;
                            for (int j = 0; j < dv; j++) {
                                dv_[vo + j] += bt * du[j];
                                dbeta += du[j] * (vv[vo + j] - rr[j]);
                            }
                            if (dBeta != null) dBeta[row] += dbeta;
                            for (int i = 0; i < dk; i++) {
                                float acc = 0, ki = kh[qo + i];
                                for (int j = 0; j < dv; j++) {
                                    acc += tilde[i * dv + j] * du[j];
                                    dS[i * dv + j] = gState[i * dv + j] - bt * ki * du[j];   // ∂S̃
                                }
                                dkh[qo + i] -= bt * acc;
                            }
                        } else {
                            for (int j = 0; j < dv; j++) dv_[vo + j] += du[j];
                            System.arraycopy(gState, 0, dS, 0, ss);
                        }
                        // ∂α = ⟨∂S̃, S_prev⟩ ; ∂g = α ∂α ; G ← α ∂S̃ for the previous step
                        if (dG != null) {
                            double da = 0;
                            for (int x = 0; x < ss; x++) da += dS[x] * states[prev + x];
                            dG[row] += (float) (alpha * da);
                        }
                        for (int x = 0; x < ss; x++) gState[x] = alpha * dS[x];
                    }
                }
            }
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

    /** S_out = α S_in + k̂ uᵀ with u = β(v − α S_inᵀ k̂) (delta) or u = v; in and out may alias. */
    private static void stepKernel(float[] sIn, int in, float[] sOut, int out, float alpha, float[] kh, int ko, float[] v, int vo,
                                   float beta, boolean delta, int dk, int dv, float[] r) {
        java.util.Arrays.fill(r, 0f);
        for (int i = 0; i < dk; i++) {
            float ki = kh[ko + i];
            for (int j = 0; j < dv; j++) {
                float sv = alpha * sIn[in + i * dv + j];
                sOut[out + i * dv + j] = sv;
                r[j] += sv * ki;
            }
        }
        for (int j = 0; j < dv; j++) r[j] = delta ? beta * (v[vo + j] - r[j]) : v[vo + j];
        for (int i = 0; i < dk; i++) {
            float ki = kh[ko + i];
            for (int j = 0; j < dv; j++) sOut[out + i * dv + j] += ki * r[j];
        }
    }

    /** o = c Sᵀ q̂ */
    private static void read(float[] s, int so, float[] qh, int qo, float c, float[] out, int oo, int dk, int dv) {
        for (int i = 0; i < dk; i++) {
            float qi = c * qh[qo + i];
            for (int j = 0; j < dv; j++) out[oo + j] += s[so + i * dv + j] * qi;
        }
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
