package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

class ExpertDispatchTest {
    static final int T = 6, D = 4, H = 5, E = 4;
    // Expert 3 receives no token: the sparse path must skip it and still give it zero gradients.
    static final int[] TOKENS = {0, 0, 1, 2, 2, 3, 4, 5, 5, 1};
    static final int[] EXPERTS = {1, 0, 2, 0, 1, 2, 1, 0, 2, 0};

    static List<ExpertDispatch.FfnWeights> experts(Rng rng) {
        List<ExpertDispatch.FfnWeights> list = new ArrayList<>();
        for (int e = 0; e < E; e++) {
            list.add(new ExpertDispatch.FfnWeights(Tensor.randn(rng, 0.5f, D, H).requiresGrad(true).named("w1_" + e),
                    Tensor.randn(rng, 0.5f, H).requiresGrad(true).named("b1_" + e),
                    Tensor.randn(rng, 0.5f, H, D).requiresGrad(true).named("w2_" + e),
                    Tensor.randn(rng, 0.5f, D).requiresGrad(true).named("b2_" + e)));
        }
        return list;
    }

    static List<Tensor> all(Tensor x, Tensor w, List<ExpertDispatch.FfnWeights> ex) {
        List<Tensor> l = new ArrayList<>(List.of(x, w));
        for (var p : ex) l.addAll(List.of(p.w1(), p.b1(), p.w2(), p.b2()));
        return l;
    }

    @Test
    void sparseGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true).named("x");
        Tensor w = Tensor.uniform(rng, 0.2f, 1f, TOKENS.length).requiresGrad(true).named("weights");
        var ex = experts(rng);
        Assignments a = new Assignments(T, E, TOKENS, EXPERTS);
        for (Unary act : List.of(Unary.GELU, Unary.SILU, Unary.TANH)) {
            GradCheck.Report r = GradCheck.check(() -> ExpertDispatch.sparse(x, a, w, ex, act), all(x, w, ex), 1e-2, 200, 5L);
            assertTrue(r.passes(2e-2), act + ": " + r);
        }
    }

    @Test
    void sparseEqualsDenseReferenceInValuesAndGradients() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true);
        Tensor w = Tensor.uniform(rng, 0.2f, 1f, TOKENS.length).requiresGrad(true);
        var ex = experts(rng);
        Assignments a = new Assignments(T, E, TOKENS, EXPERTS);
        Tensor probe = Tensor.randn(new Rng(9), T, D);

        Tensor ys = ExpertDispatch.sparse(x, a, w, ex, Unary.GELU);
        ys.mul(probe).sum().backward();
        List<float[]> sparseGrads = new ArrayList<>();
        for (Tensor t : all(x, w, ex)) {
            sparseGrads.add(t.grad() == null ? new float[t.numel()] : t.grad().toFloatArray());
            t.zeroGrad();
        }
        Tensor yd = ExpertDispatch.dense(x, a, w, ex, Unary.GELU);
        yd.mul(probe).sum().backward();
        assertArrayEquals(yd.toFloatArray(), ys.toFloatArray(), 1e-5f);
        List<Tensor> params = all(x, w, ex);
        for (int i = 0; i < params.size(); i++) {
            float[] dense = params.get(i).grad() == null ? new float[params.get(i).numel()] : params.get(i).grad().toFloatArray();
            assertArrayEquals(dense, sparseGrads.get(i), 1e-4f, "gradient of input " + i);
        }
        // the unused expert got nothing
        assertEquals(0f, sum(sparseGrads.get(2 + 4 * 3)));
    }

    static float sum(float[] v) {
        float s = 0;
        for (float f : v) s += Math.abs(f);
        return s;
    }
}
