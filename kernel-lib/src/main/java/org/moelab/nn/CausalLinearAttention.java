package org.moelab.nn;

import org.moelab.tensor.CustomOp;
import org.moelab.tensor.Tensor;

/**
 * The parallel (quadratic, training) form of linear attention without decay: o_t = c Σ_{s≤t} (φ(q_t)·φ(k_s)) v_s,
 * i.e. O = (c·tril(Q̂ K̂ᵀ)) V per batch row and head. It equals {@link DeltaRule#scan} with no β and no decay (the
 * recurrent form) up to float rounding; tests check both agree. Backward: dA = tril(dO Vᵀ), dQ̂ = c dA K̂,
 * dK̂ = c dAᵀ Q̂, dV = Aᵀ dO. Layout [B, T, H, d] as in {@link DeltaRule}.
 */
public final class CausalLinearAttention {
    private CausalLinearAttention() {}

    public static Tensor parallel(Tensor q, Tensor k, Tensor v, DeltaRule.FeatureMap phi) {
        if (q.rank() != 4 || !java.util.Arrays.equals(q.shape(), k.shape()) || v.rank() != 4 || v.size(0) != q.size(0) || v.size(1) != q.size(1) || v.size(2) != q.size(2)) {
            throw new IllegalArgumentException("CausalLinearAttention: q, k must be equal [batch, time, heads, d_k] and v [batch, time, heads, d_v]; got q "
                    + java.util.Arrays.toString(q.shape()) + ", k " + java.util.Arrays.toString(k.shape()) + ", v " + java.util.Arrays.toString(v.shape()));
        }
        int b = q.size(0), t = q.size(1), h = q.size(2), dk = q.size(3), dv = v.size(3), n = b * t * h;
        float c = (float) (1 / Math.sqrt(dk));
        float[] qh = new float[n * dk], kh = new float[n * dk], qn = new float[n], kn = new float[n];
        DeltaRule.featureMap(phi, q.data(), qh, qn, n, dk);
        DeltaRule.featureMap(phi, k.data(), kh, kn, n, dk);
        float[] vv = v.data();
        // a[(bi*h+hi)*t*t + i*t + j] = c q̂_i·k̂_j for j ≤ i
        float[] a = new float[b * h * t * t], out = new float[n * dv];
        for (int bi = 0; bi < b; bi++)
            for (int hi = 0; hi < h; hi++) {
                int ao = (bi * h + hi) * t * t;
                for (int i = 0; i < t; i++) {
                    int qi = ((bi * t + i) * h + hi);
                    for (int j = 0; j <= i; j++) {
                        int kj = ((bi * t + j) * h + hi);
                        float dot = 0;
                        for (int x = 0; x < dk; x++) dot += qh[qi * dk + x] * kh[kj * dk + x];
                        a[ao + i * t + j] = c * dot;
                        for (int y = 0; y < dv; y++) out[qi * dv + y] += c * dot * vv[kj * dv + y];
                    }
                }
            }
        return CustomOp.record("causalLinearAttention", out, new int[] {b, t, h, dv}, (dOut, grads) -> {
            float[] dqh = new float[n * dk], dkh = new float[n * dk];
            float[] dV = grads.needs(2) ? grads.of(2) : null;
            for (int bi = 0; bi < b; bi++)
                for (int hi = 0; hi < h; hi++) {
                    int ao = (bi * h + hi) * t * t;
                    for (int i = 0; i < t; i++) {
                        int qi = ((bi * t + i) * h + hi);
                        for (int j = 0; j <= i; j++) {
                            int kj = ((bi * t + j) * h + hi);
                            float da = 0;
                            for (int y = 0; y < dv; y++) da += dOut[qi * dv + y] * vv[kj * dv + y];
                            if (dV != null) for (int y = 0; y < dv; y++) dV[kj * dv + y] += a[ao + i * t + j] * dOut[qi * dv + y];
                            for (int x = 0; x < dk; x++) {
                                dqh[qi * dk + x] += c * da * kh[kj * dk + x];
                                dkh[kj * dk + x] += c * da * qh[qi * dk + x];
                            }
                        }
                    }
                }
            if (grads.needs(0)) DeltaRule.featureMapBackward(phi, q.data(), qh, qn, dqh, grads.of(0), n, dk);
            if (grads.needs(1)) DeltaRule.featureMapBackward(phi, k.data(), kh, kn, dkh, grads.of(1), n, dk);
        }, q, k, v);
    }
}
