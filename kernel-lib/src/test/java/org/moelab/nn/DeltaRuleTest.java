package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.moelab.nn.DeltaRule.FeatureMap;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused recurrences: gradient checks, recurrent vs sequence vs parallel forms, and a brute-force expansion. */
class DeltaRuleTest {
    static final double TOL = 2e-2;
    static final int B = 2, T = 5, H = 2, DK = 3, DV = 4;

    static Tensor p(Rng r, float std, int... shape) {
        return Tensor.randn(r, std, shape).requiresGrad(true);
    }

    /** β in (0, 1) and g ≤ 0 as the layer produces them, but as free leaves. */
    static Tensor beta(Rng r) {
        return Tensor.uniform(r, 0.2f, 0.9f, B, T, H).requiresGrad(true);
    }

    static Tensor logDecay(Rng r) {
        return Tensor.uniform(r, -1f, -0.05f, B, T, H).requiresGrad(true);
    }

    static void assertGrad(GradCheck.Report rep) {
        assertTrue(rep.passes(TOL), rep.toString());
    }

    @Test
    void gatedDeltaRuleGradients() {
        Rng r = new Rng(1);
        Tensor q = p(r, 1, B, T, H, DK), k = p(r, 1, B, T, H, DK), v = p(r, 1, B, T, H, DV), b = beta(r), g = logDecay(r);
        assertGrad(GradCheck.check(() -> DeltaRule.scan(q, k, v, b, g, FeatureMap.L2_NORM), List.of(q, k, v, b, g), 1e-2, 200, 7));
    }

    @Test
    void deltaRuleWithoutL2AndLinearAttentionGradients() {
        Rng r = new Rng(2);
        Tensor q = p(r, 0.5f, B, T, H, DK), k = p(r, 0.5f, B, T, H, DK), v = p(r, 1, B, T, H, DV), b = beta(r), g = logDecay(r);
        assertGrad(GradCheck.check(() -> DeltaRule.scan(q, k, v, b, g, FeatureMap.IDENTITY), List.of(q, k, v, b, g), 1e-2, 200, 7));
        assertGrad(GradCheck.check(() -> DeltaRule.scan(q, k, v, null, null, FeatureMap.IDENTITY), List.of(q, k, v), 1e-2, 200, 7));
        assertGrad(GradCheck.check(() -> DeltaRule.scan(q, k, v, null, g, FeatureMap.ELU_PLUS_ONE), List.of(q, k, v, g), 1e-2, 200, 7));
        assertGrad(GradCheck.check(() -> DeltaRule.scan(q, k, v, b, null, FeatureMap.L2_NORM), List.of(q, k, v, b), 1e-2, 200, 7));
    }

    @Test
    void parallelLinearAttentionGradients() {
        Rng r = new Rng(3);
        Tensor q = p(r, 1, B, T, H, DK), k = p(r, 1, B, T, H, DK), v = p(r, 1, B, T, H, DV);
        for (FeatureMap phi : List.of(FeatureMap.IDENTITY, FeatureMap.ELU_PLUS_ONE, FeatureMap.L2_NORM)) {
            assertGrad(GradCheck.check(() -> CausalLinearAttention.parallel(q, k, v, phi), List.of(q, k, v), 1e-2, 200, 7));
        }
    }

    @Test
    void logDecayGradientsAndSign() {
        Rng r = new Rng(4);
        Tensor a = p(r, 2, B, T, H), aLog = p(r, 1, H), dt = p(r, 1, H);
        assertGrad(GradCheck.check(() -> DeltaRule.logDecay(a, aLog, dt), List.of(a, aLog, dt), 1e-2, 200, 7));
        for (float x : DeltaRule.logDecay(a, aLog, dt).toFloatArray()) assertTrue(x <= 0, "log-decay must be ≤ 0");
    }

    @Test
    void rowBucketGradients() {
        Rng r = new Rng(5);
        Tensor x = p(r, 1, 6, 3);
        int[] idx = {4, -1, 0, 4, 2, -1, 5};
        assertGrad(GradCheck.check(() -> RowBuckets.pack(x, idx), x));
        Tensor y = p(r, 1, 7, 3);
        assertGrad(GradCheck.check(() -> RowBuckets.unpack(y, idx, 6), y));
        assertThrows(IllegalArgumentException.class, () -> RowBuckets.pack(x, new int[] {6}));
    }

    @Test
    void recurrentStepEqualsSequenceScan() {
        Rng r = new Rng(6);
        Tensor q = p(r, 1, B, T, H, DK), k = p(r, 1, B, T, H, DK), v = p(r, 1, B, T, H, DV), b = beta(r), g = logDecay(r);
        for (boolean delta : new boolean[] {true, false}) {
            FeatureMap phi = delta ? FeatureMap.L2_NORM : FeatureMap.ELU_PLUS_ONE;
            float[] seq = DeltaRule.scan(q, k, v, delta ? b : null, delta ? g : null, phi).toFloatArray();
            for (int bi = 0; bi < B; bi++) {
                float[] state = new float[H * DK * DV];
                for (int t = 0; t < T; t++) {
                    float[] o = DeltaRule.step(state, row(q, bi, t), row(k, bi, t), row(v, bi, t), delta ? row(b, bi, t) : null, delta ? row(g, bi, t) : null, phi, H);
                    for (int i = 0; i < o.length; i++) assertEquals(seq[(bi * T + t) * H * DV + i], o[i], 1e-5, "step " + t);
                }
            }
        }
    }

    @Test
    void parallelLinearAttentionEqualsRecurrent() {
        Rng r = new Rng(7);
        Tensor q = p(r, 1, B, 9, H, DK), k = p(r, 1, B, 9, H, DK), v = p(r, 1, B, 9, H, DV);
        for (FeatureMap phi : FeatureMap.values()) {
            assertArrayEquals(DeltaRule.scan(q, k, v, null, null, phi).toFloatArray(), CausalLinearAttention.parallel(q, k, v, phi).toFloatArray(), 1e-4f, phi.name());
        }
    }

    /** S_t = Σ_{s≤t} (A_t⋯A_{s+1}) β_s k_s v_sᵀ with A_r = α_r (I − β_r k_r k_rᵀ), in double, on T = 8. */
    @Test
    void gatedDeltaRuleMatchesBruteForceExpansion() {
        int t = 8, dk = 4, dv = 3;
        Rng r = new Rng(8);
        Tensor q = Tensor.randn(r, 1, t, 1, dk), k = Tensor.randn(r, 1, t, 1, dk), v = Tensor.randn(r, 1, t, 1, dv);
        Tensor b = Tensor.uniform(r, 0.1f, 1f, 1, t, 1), g = Tensor.uniform(r, -1f, 0f, 1, t, 1);
        float[] got = DeltaRule.scan(q, k, v, b, g, FeatureMap.L2_NORM).toFloatArray();
        double[][] qs = normalised(q, t, dk), ks = normalised(k, t, dk);
        double c = 1 / Math.sqrt(dk);
        for (int ti = 0; ti < t; ti++) {
            double[] o = new double[dv];
            for (int s = 0; s <= ti; s++) {
                double[][] prod = identity(dk);                       // A_ti ⋯ A_{s+1}
                for (int rr = ti; rr > s; rr--) prod = matmul(prod, transition(ks[rr], b.get(0, rr, 0), Math.exp(g.get(0, rr, 0))));
                double[] pk = new double[dk];                         // (A_t⋯A_{s+1}) k_s
                for (int i = 0; i < dk; i++) for (int j = 0; j < dk; j++) pk[i] += prod[i][j] * ks[s][j];
                double qk = 0;
                for (int i = 0; i < dk; i++) qk += qs[ti][i] * pk[i];
                for (int j = 0; j < dv; j++) o[j] += c * b.get(0, s, 0) * qk * v.get(0, s, 0, j);
            }
            for (int j = 0; j < dv; j++) assertEquals(o[j], got[ti * dv + j], 1e-4, "t=" + ti);
        }
    }

    private static double[][] transition(double[] k, double beta, double alpha) {
        int d = k.length;
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) a[i][j] = alpha * ((i == j ? 1 : 0) - beta * k[i] * k[j]);
        return a;
    }

    private static double[][] identity(int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) a[i][i] = 1;
        return a;
    }

    private static double[][] matmul(double[][] x, double[][] y) {
        int n = x.length;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int l = 0; l < n; l++) z[i][j] += x[i][l] * y[l][j];
        return z;
    }

    private static double[][] normalised(Tensor x, int t, int d) {
        double[][] out = new double[t][d];
        for (int ti = 0; ti < t; ti++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x.get(0, ti, 0, i) * x.get(0, ti, 0, i);
            for (int i = 0; i < d; i++) out[ti][i] = x.get(0, ti, 0, i) / Math.sqrt(ss + DeltaRule.L2_EPS);
        }
        return out;
    }

    /** All heads' values of batch row b at time t. */
    private static float[] row(Tensor x, int b, int t) {
        int per = x.numel() / (x.size(0) * x.size(1));
        float[] out = new float[per];
        System.arraycopy(x.data(), (b * x.size(1) + t) * per, out, 0, per);
        return out;
    }
}
