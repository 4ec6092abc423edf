package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.nn.FeedForward;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

/** ProMoE's two-step router: cosine gate, conditional routing, RCL; and per-image expert choice. */
class PrototypeRoutingTest {
    static final int T = 10, D = 6, E = 3;

    @Test
    void cosineGateIsTheRawCosineAndBoundedEvenForLargeTokens() {
        Rng rng = new Rng(1);
        PrototypeRouter router = PrototypeRouter.paper(D, E, rng);
        Tensor x = Tensor.randn(rng, 50f, 200, D);
        Routing r = router.route(x, RoutingContext.evaluation());
        float[] w = r.weights().toFloatArray();
        boolean negative = false;
        for (int i = 0; i < w.length; i++) {
            assertTrue(w[i] >= -1f && w[i] <= 1f, "gate " + w[i] + " outside [-1, 1]");
            negative |= w[i] < 0;
            // equals cos(x_t, P_e) of the chosen expert, and that expert has the largest cosine
            int t = r.assignments().token(i), e = r.assignments().expert(i);
            for (int j = 0; j < E; j++) assertTrue(cos(x, t, router.prototypes(), e) >= cos(x, t, router.prototypes(), j) - 1e-6);
            assertEquals(cos(x, t, router.prototypes(), e), w[i], 1e-5);
        }
        assertEquals(200, w.length, "top-1: one pair per token");
        // with 3 random prototypes in 6-D, some token's best cosine is negative: no renormalisation hides it
        assertTrue(negative || minOf(w) < 0.3f, "gates look renormalised: min " + minOf(w));
    }

    @Test
    void cosineGateGradientsThroughAWholeMoeLayer() {
        Rng rng = new Rng(2);
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true).named("x");
        MoELayer layer = new MoELayer(PrototypeRouter.paper(D, E, rng), new Experts(E, D, 5, Unary.GELU, rng),
                new FeedForward(D, 5, FeedForward.Activation.GELU, rng));
        unitScalePrototypes(layer);
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        inputs.addAll(layer.parameters());
        GradCheck.Report report = GradCheck.check(() -> {
            MoELayer.Output out = layer.forwardRouted(x, RoutingContext.evaluation());
            return out.output().add(out.routing().auxLosses().get(PrototypeRouter.RCL));
        }, inputs, 1e-2, 40, 5L);
        assertTrue(report.passes(2e-2), report.toString());
    }

    @Test
    void gateActivationsForTheAblation() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, T, D);
        for (PrototypeRouter.GateActivation a : PrototypeRouter.GateActivation.values()) {
            PrototypeRouter router = new PrototypeRouter(D, E, 1f, a, false, 0.07f, new Rng(4));
            Routing r = router.route(x, RoutingContext.evaluation());
            PrototypeRouter identity = new PrototypeRouter(D, E, 1f, PrototypeRouter.GateActivation.IDENTITY, false, 0.07f, new Rng(4));
            Routing ri = identity.route(x, RoutingContext.evaluation());
            for (int i = 0; i < T; i++) {
                assertEquals(ri.assignments().expert(i), r.assignments().expert(i), "the activation is monotone: same choice");
                float c = ri.weights().get(i), w = r.weights().get(i);
                if (a == PrototypeRouter.GateActivation.SIGMOID) assertEquals(1 / (1 + Math.exp(-c)), w, 1e-5);
                if (a == PrototypeRouter.GateActivation.SOFTMAX) assertTrue(w > 0 && w < 1);
            }
            assertTrue(!r.auxLosses().containsKey(PrototypeRouter.RCL), "RCL off");
        }
    }

    @Test
    void unconditionalTokensAlwaysReachTheUnconditionalExpert() {
        Rng rng = new Rng(5);
        int nullLabel = 10;
        ConditionalRouter router = new ConditionalRouter(PrototypeRouter.paper(D, E, rng), nullLabel);
        assertEquals(E + 1, router.numExperts());
        for (int trial = 0; trial < 20; trial++) {
            Tensor x = Tensor.randn(rng, T, D);
            int[] labels = new int[T];
            for (int i = 0; i < T; i++) labels[i] = rng.nextDouble() < 0.4 ? nullLabel : rng.nextInt(nullLabel);
            if (trial == 0) java.util.Arrays.fill(labels, nullLabel);
            Routing r = router.route(x, RoutingContext.evaluation().withLabels(labels));
            int[] pairs = new int[T];
            for (int i = 0; i < r.assignments().size(); i++) {
                int t = r.assignments().token(i), e = r.assignments().expert(i);
                pairs[t]++;
                if (labels[t] == nullLabel) {
                    assertEquals(E, e, "null-label token " + t + " must go to the unconditional expert");
                    assertEquals(1f, r.weights().get(i), 0f);
                } else {
                    assertTrue(e < E, "a conditional token never reaches the unconditional expert");
                }
            }
            for (int t = 0; t < T; t++) assertEquals(1, pairs[t], "every token has exactly one routed expert");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> router.route(Tensor.randn(rng, T, D), RoutingContext.evaluation()));
        assertTrue(e.getMessage().contains("one label per token"), e.getMessage());
    }

    @Test
    void conditionalRoutingPassesGradientsToTheConditionalTokens() {
        Rng rng = new Rng(6);
        ConditionalRouter router = new ConditionalRouter(PrototypeRouter.paper(D, E, rng), 10);
        MoELayer layer = new MoELayer(router, new Experts(E + 1, D, 4, Unary.GELU, rng), new FeedForward(D, 4, FeedForward.Activation.GELU, rng));
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true).named("x");
        int[] labels = {0, 10, 3, 3, 10, 7, 1, 2, 10, 5};
        unitScalePrototypes(layer);
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        inputs.addAll(layer.parameters());
        GradCheck.Report report = GradCheck.check(() -> {
            MoELayer.Output out = layer.forwardRouted(x, RoutingContext.evaluation().withLabels(labels));
            return out.output().add(out.routing().auxLosses().get(PrototypeRouter.RCL));
        }, inputs, 1e-2, 30, 7L);
        assertTrue(report.passes(2e-2), report.toString());
    }

    @Test
    void rclGradientCheck() {
        Rng rng = new Rng(8);
        Tensor p = Tensor.randn(rng, 4, D).requiresGrad(true).named("P");
        Tensor h = Tensor.randn(rng, 12, D).requiresGrad(true).named("h");
        int[] expertOf = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}; // expert 3 is empty: excluded
        GradCheck.Report report = GradCheck.check(() -> RoutingContrastiveLoss.of(p, h, expertOf, 0.07f), List.of(p, h), 1e-3, 100, 9L);
        assertTrue(report.passes(2e-2), report.toString());
        assertTrue(RoutingContrastiveLoss.of(p, h, expertOf, 0.07f).item() > 0);
    }

    @Test
    void rclIsZeroWithFewerThanTwoNonEmptyExpertsAndIgnoresEmptyOnes() {
        Rng rng = new Rng(10);
        Tensor p = Tensor.randn(rng, 4, D), h = Tensor.randn(rng, 6, D);
        assertEquals(0f, RoutingContrastiveLoss.of(p, h, new int[] {2, 2, 2, 2, 2, 2}, 0.07f).item());
        assertEquals(0f, RoutingContrastiveLoss.of(p, h, new int[] {-1, -1, -1, -1, -1, -1}, 0.07f).item());
        // the same loss as over the two non-empty experts alone
        float full = RoutingContrastiveLoss.of(p, h, new int[] {1, 3, 1, 3, 3, 1}, 0.07f).item();
        Tensor p2 = p.gatherRows(new int[] {1, 3});
        float reduced = RoutingContrastiveLoss.of(p2, h, new int[] {0, 1, 0, 1, 1, 0}, 0.07f).item();
        assertEquals(reduced, full, 1e-5);
        // by hand for two clusters: −mean_i log softmax_j(cos(P_i, m_j)/τ)[i]
        double[][] c = new double[2][2];
        int[] ex = {1, 3};
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) c[i][j] = cosine(p.gatherRows(new int[] {ex[i]}).toFloatArray(), mean(h, j == 0 ? new int[] {0, 2, 5} : new int[] {1, 3, 4})) / 0.07;
        double expected = 0;
        for (int i = 0; i < 2; i++) expected += -(c[i][i] - Math.log(Math.exp(c[i][0]) + Math.exp(c[i][1]))) / 2;
        assertEquals(expected, full, 1e-4);
    }

    @Test
    void expertChoicePerImageGivesEachExpertItsShareOfEveryImage() {
        Rng rng = new Rng(11);
        PerSequenceRouter router = new PerSequenceRouter(new ExpertChoiceRouter(D, 4, 1f, rng), 8);
        Routing r = router.route(Tensor.randn(rng, 24, D), RoutingContext.evaluation());
        int[][] perImage = new int[3][4];
        for (int i = 0; i < r.assignments().size(); i++) perImage[r.assignments().token(i) / 8][r.assignments().expert(i)]++;
        for (int[] image : perImage) assertArrayEquals(new int[] {2, 2, 2, 2}, image);
        assertThrows(IllegalArgumentException.class, () -> router.route(Tensor.randn(rng, 20, D), RoutingContext.evaluation()));
    }

    @Test
    void livePrototypeCounter() {
        PrototypeRouter router = PrototypeRouter.paper(D, E, new Rng(12));
        assertEquals(0, router.livePrototypes());
        router.route(Tensor.randn(new Rng(13), 100, D), RoutingContext.evaluation());
        long[] usage = router.usage();
        assertEquals(100, usage[0] + usage[1] + usage[2]);
        assertTrue(router.livePrototypes() >= 2);
        router.resetUsage();
        assertEquals(0, router.livePrototypes());
    }

    /**
     * N(0, 0.02) prototypes are so short that a finite-difference step of 1e-2 rotates them past another token's
     * decision boundary; at unit scale the same step probes the smooth part of the (piecewise-smooth) function.
     */
    private static void unitScalePrototypes(MoELayer layer) {
        for (var e : layer.namedParameters().entrySet()) {
            if (!e.getKey().endsWith("prototypes")) continue;
            float[] v = e.getValue().data();
            for (int i = 0; i < v.length; i++) v[i] *= 50f;
        }
    }

    private static double cos(Tensor x, int t, Tensor p, int e) {
        float[] a = x.gatherRows(new int[] {t}).toFloatArray(), b = p.gatherRows(new int[] {e}).toFloatArray();
        return cosine(a, toDouble(b));
    }

    private static double cosine(float[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double[] mean(Tensor h, int[] rows) {
        double[] m = new double[h.size(1)];
        for (int r : rows) for (int j = 0; j < m.length; j++) m[j] += h.get(r, j) / rows.length;
        return m;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static float minOf(float[] a) {
        float m = Float.MAX_VALUE;
        for (float v : a) m = Math.min(m, v);
        return m;
    }
}
