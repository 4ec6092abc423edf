package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

class DenseToSparseGateTest {
    static final int T = 10, D = 6, E = 4;

    @Test
    void gradientOfTheDtsWeightsAtFixedNoiseAndSelection() {
        for (DenseToSparseGate.Combine combine : DenseToSparseGate.Combine.values()) {
            Rng rng = new Rng(3);
            DenseToSparseGate gate = new DenseToSparseGate(D, E, 1e-3f, combine, rng);
            gate.setTemperature(1.5f);
            Experts experts = new Experts(E, D, 5, Unary.GELU, rng);
            Tensor x = Tensor.randn(rng, T, D).requiresGrad(true).named("x");
            Tensor noise = DenseToSparseGate.gumbelNoise(new Rng(9), T, E);
            Assignments fixed = gate.route(gate.gate().forward(x), noise).assignments();
            var f = (java.util.function.Supplier<Tensor>) () -> {
                Tensor logits = gate.gate().forward(x);
                Tensor g = logits.add(noise).mul(1f / gate.temperature()).softmax();
                Tensor w = gate.weights(logits, g, fixed);
                Tensor aux = AuxLosses.loadBalance(g, fixed);
                return experts.forward(x, new Routing(fixed, w, logits, g, Map.of())).add(aux);
            };
            List<Tensor> inputs = new ArrayList<>(List.of(x));
            inputs.addAll(gate.parameters());
            inputs.addAll(experts.parameters());
            GradCheck.Report r = GradCheck.check(f, inputs, 1e-2, 40, 5L);
            assertTrue(r.passes(2e-2), combine + ": " + r);
        }
    }

    @Test
    void nearZeroTemperatureEqualsHardTop1OfLogitsPlusNoise() {
        Rng rng = new Rng(4);
        DenseToSparseGate gate = new DenseToSparseGate(D, E, rng);
        gate.setTemperature(1e-4f);
        Tensor logits = gate.gate().forward(Tensor.randn(rng, T, D));
        Tensor noise = DenseToSparseGate.gumbelNoise(new Rng(11), T, E);
        Routing soft = gate.route(logits, noise);
        gate.setHard(true);
        Routing hard = gate.route(logits, noise);
        float[] s = logits.add(noise).data();
        assertEquals(T, soft.assignments().size(), "one expert per token at tau -> 0");
        for (int t = 0; t < T; t++) {
            int best = 0;
            for (int e = 1; e < E; e++) if (s[t * E + e] > s[t * E + best]) best = e;
            assertEquals(best, soft.assignments().expert(t));
            assertEquals(best, hard.assignments().expert(t));
            assertEquals(1f, soft.weights().data()[t], 1e-4f);
        }
    }

    @Test
    void highTemperatureActivatesEveryExpert() {
        Rng rng = new Rng(5);
        DenseToSparseGate gate = new DenseToSparseGate(D, E, rng);
        gate.setTemperature(100f);
        Routing r = gate.route(Tensor.randn(rng, T, D), RoutingContext.training(0, new Rng(1)));
        assertEquals(T * E, r.assignments().size());
        assertArrayEquals(new int[] {T, T, T, T}, r.tokensPerExpert());
        // Low temperature: fewer experts on average, never none.
        gate.setTemperature(0.3f);
        Routing low = gate.route(Tensor.randn(rng, T, D).mul(5f), RoutingContext.training(1, new Rng(1)));
        assertTrue(low.assignments().size() < T * E && low.droppedShare() == 0, "active " + low.assignments().size());
    }

    @Test
    void seededGumbelNoiseIsReproducibleAndFreshPerStep() {
        Rng rng = new Rng(6);
        DenseToSparseGate gate = new DenseToSparseGate(D, E, rng);
        Tensor x = Tensor.randn(rng, T, D);
        float[] a = gate.route(x, RoutingContext.training(3, new Rng(77))).probabilities().data();
        float[] b = gate.route(x, RoutingContext.training(3, new Rng(77))).probabilities().data();
        float[] c = gate.route(x, RoutingContext.training(4, new Rng(78))).probabilities().data();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
        assertArrayEquals(DenseToSparseGate.gumbelNoise(new Rng(1), 3, 3).data(), DenseToSparseGate.gumbelNoise(new Rng(1), 3, 3).data());
    }

    @Test
    void evaluationIsCleanTop1WithSoftmaxWeight() {
        Rng rng = new Rng(7);
        DenseToSparseGate gate = new DenseToSparseGate(D, E, rng);
        Tensor x = Tensor.randn(rng, T, D);
        Routing r = gate.route(x, RoutingContext.evaluation());
        Routing again = gate.route(x, RoutingContext.evaluation());
        float[] p = gate.gate().forward(x).softmax().data();
        assertEquals(T, r.assignments().size());
        for (int t = 0; t < T; t++) {
            int best = 0;
            for (int e = 1; e < E; e++) if (p[t * E + e] > p[t * E + best]) best = e;
            assertEquals(best, r.assignments().expert(t));
            assertEquals(p[t * E + best], r.weights().data()[t], 1e-6f);
        }
        assertArrayEquals(r.primaryExpert(), again.primaryExpert());
    }

    @Test
    void rejectsBadSettings() {
        Rng rng = new Rng(8);
        assertThrows(IllegalArgumentException.class, () -> new DenseToSparseGate(D, 1, rng));
        DenseToSparseGate gate = new DenseToSparseGate(D, E, rng);
        var e = assertThrows(IllegalArgumentException.class, () -> gate.setTemperature(0f));
        assertTrue(e.getMessage().contains("temperature"));
    }

    @Test
    void switchRouterWeighsByTheSoftmaxProbabilityAndDropsOverCapacity() {
        Rng rng = new Rng(9);
        SwitchRouter router = new SwitchRouter(D, E, 0.5f, rng);
        Tensor x = Tensor.randn(rng, 16, D);
        Routing r = router.route(x, RoutingContext.training(0, new Rng(1)));
        for (int c : r.tokensPerExpert()) assertTrue(c <= 2);
        Routing eval = router.route(x, RoutingContext.evaluation());
        assertEquals(16, eval.assignments().size(), "no capacity limit at evaluation");
        float[] p = eval.probabilities().data();
        for (int i = 0; i < 16; i++) assertEquals(p[i * E + eval.assignments().expert(i)], eval.weights().data()[i], 1e-6f);
    }
}
