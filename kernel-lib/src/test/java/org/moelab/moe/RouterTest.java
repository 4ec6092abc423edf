package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

class RouterTest {
    static final int T = 8, D = 6, E = 4;

    /** Output of a whole MoE layer with the router's weights feeding the combine, as the loss sees it. */
    static Supplier<Tensor> layerOutput(MoELayer layer, Tensor x, RoutingContext ctx) {
        return () -> {
            MoELayer.Output out = layer.forwardRouted(x, ctx);
            Tensor aux = AuxLosses.total(List.of(out.routing()), 0.5f, 0.1f);
            return out.output().add(aux);
        };
    }

    static List<Tensor> inputsAndTrainables(Tensor x, MoELayer layer) {
        List<Tensor> l = new ArrayList<>(List.of(x));
        for (Tensor p : layer.parameters()) if (p.requiresGrad()) l.add(p);
        return l;
    }

    @Test
    void learnedTopKRouterGradientsIncludingAuxLosses() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true).named("x");
        MoELayer layer = new MoELayer(TopKRouter.learned(D, E, 2, rng), new Experts(E, D, 5, Unary.GELU, rng));
        GradCheck.Report r = GradCheck.check(layerOutput(layer, x, RoutingContext.evaluation()), inputsAndTrainables(x, layer), 1e-2, 60, 3L);
        assertTrue(r.passes(2e-2), r.toString());
    }

    @Test
    void frozenRouterPassesGradientToItsInputButHasNoTrainableWeights() {
        Rng rng = new Rng(2);
        TopKRouter router = TopKRouter.frozenRandom(D, E, 2, rng);
        assertTrue(router.parameters().stream().noneMatch(Tensor::requiresGrad));
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true);
        Routing routing = router.route(x, RoutingContext.evaluation());
        routing.weights().mul(Tensor.randn(new Rng(4), T * 2)).sum().backward();
        assertNotNull(x.grad(), "gradient must reach the router input through the softmax weights");
        assertTrue(absSum(x.grad().toFloatArray()) > 0);
        assertNull(router.gate().weight().grad());
        // N(0, 0.02) weights and zero bias, as the reference initialises them
        float[] w = router.gate().weight().data();
        double var = 0;
        for (float v : w) var += v * v;
        assertEquals(0.02, Math.sqrt(var / w.length), 0.01);
        assertEquals(0f, absSum(router.gate().bias().data()));
    }

    @Test
    void topKWeightsAreSoftmaxOverSelectedLogitsAndKEqualsNGivesFullSoftmax() {
        Rng rng = new Rng(3);
        TopKRouter router = TopKRouter.frozenRandom(D, E, E, rng);
        Tensor x = Tensor.randn(rng, T, D);
        Routing r = router.route(x, RoutingContext.evaluation());
        float[] probs = r.probabilities().data();
        float[] w = r.weights().data();
        for (int p = 0; p < r.assignments().size(); p++) {
            assertEquals(probs[r.assignments().token(p) * E + r.assignments().expert(p)], w[p], 1e-6);
        }
        Routing r2 = router.route(x, RoutingContext.evaluation().withTopK(2));
        for (int t = 0; t < T; t++) assertEquals(1f, r2.weights().data()[2 * t] + r2.weights().data()[2 * t + 1], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> router.route(x, RoutingContext.evaluation().withTopK(E + 1)));
    }

    @Test
    void capacityDropsOverflowTokensFirstChoicesFirst() {
        Rng rng = new Rng(5);
        TopKRouter router = TopKRouter.learned(D, E, 1, 0f, 1.0f, rng);
        // make every token prefer expert 0
        float[] w = router.gate().weight().data();
        java.util.Arrays.fill(w, 0f);
        for (int j = 0; j < D; j++) w[j] = 1f;
        Tensor x = Tensor.uniform(rng, 0.5f, 1f, T, D);
        Routing r = router.route(x, RoutingContext.evaluation());
        int capacity = (int) Math.ceil(1.0 * T * 1 / E);
        assertEquals(capacity, r.tokensPerExpert()[0]);
        assertEquals((double) (T - capacity) / T, r.droppedShare(), 1e-9);
        assertEquals(-1, r.primaryExpert()[T - 1]);
    }

    @Test
    void hashRouterIsFixedBalancedAndNeedsTokenIds() {
        HashRouter router = new HashRouter(16, E, new Rng(6));
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        Routing r = router.route(Tensor.zeros(16, D), RoutingContext.evaluation().withTokenIds(ids));
        assertArrayEquals(new int[] {4, 4, 4, 4}, r.tokensPerExpert());
        Routing again = router.route(Tensor.zeros(16, D), RoutingContext.evaluation().withTokenIds(ids));
        assertArrayEquals(r.primaryExpert(), again.primaryExpert());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> router.route(Tensor.zeros(16, D), RoutingContext.evaluation()));
        assertTrue(e.getMessage().contains("token id"), e.getMessage());
    }

    @Test
    void expertChoiceBalancesLoadExactlyAndIsDifferentiable() {
        Rng rng = new Rng(7);
        ExpertChoiceRouter router = new ExpertChoiceRouter(D, E, 1.0f, rng);
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true).named("x");
        Routing r = router.route(x, RoutingContext.evaluation());
        assertArrayEquals(new int[] {2, 2, 2, 2}, r.tokensPerExpert());
        MoELayer layer = new MoELayer(router, new Experts(E, D, 5, Unary.GELU, rng));
        GradCheck.Report report = GradCheck.check(layerOutput(layer, x, RoutingContext.evaluation()), inputsAndTrainables(x, layer), 1e-2, 60, 3L);
        assertTrue(report.passes(2e-2), report.toString());
    }

    @Test
    void mismatchedRouterAndBankIsAClearError() {
        Rng rng = new Rng(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MoELayer(TopKRouter.learned(D, 3, 1, rng), new Experts(E, D, 5, Unary.GELU, rng)));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    }

    static float absSum(float[] v) {
        float s = 0;
        for (float f : v) s += Math.abs(f);
        return s;
    }
}
