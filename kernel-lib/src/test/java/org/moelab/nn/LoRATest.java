package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.moe.LoRAMixerLinear;
import org.moelab.moe.Routing;
import java.util.function.Supplier;
import org.moelab.tensor.CpuKernels;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Nd4jKernels;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** LoRALinear and LoRAMixerLinear: identity at B = 0, gradients, oracle routing equals the task's single LoRA. */
class LoRATest {
    static final double TOLERANCE = 2e-2;

    /** Gives B random values so the adapter path is not zero (a fresh B = 0 would hide gradient errors in A). */
    static void randomiseB(LoRAExpert e, Rng rng) {
        float[] b = e.b().data();
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian() * 0.5f;
    }

    /** Finite differences against autograd under both kernel implementations (CPU default and pure ND4J). */
    static void gradCheck(Supplier<Tensor> f, List<Tensor> inputs, long seed) {
        for (Kernels kernels : List.<Kernels>of(new CpuKernels(), new Nd4jKernels())) {
            try (var scope = Kernels.using(kernels)) {
                var report = GradCheck.check(f, inputs, 1e-2, 64, seed);
                assertTrue(report.passes(TOLERANCE), kernels.name() + ": " + report);
            }
        }
    }

    @Test
    void freshLoRALeavesTheBaseOutputUnchanged() {
        Rng rng = new Rng(1);
        Linear base = new Linear(6, 5, rng);
        LoRALinear lora = new LoRALinear(base, 2, 8f, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 6);
        assertArrayEquals(base.forward(x).toFloatArray(), lora.forward(x).toFloatArray(), 0f);
        assertArrayEquals(new int[] {2, 3, 5}, lora.forward(x).shape());
        LoRAMixerLinear mixer = new LoRAMixerLinear(base, 3, 2, 8f, rng);
        Tensor p = Tensor.randn(rng, 6, 3).softmax();
        assertArrayEquals(base.forward(x).toFloatArray(), mixer.forward(x, Routing.dense(p)).toFloatArray(), 0f);
    }

    @Test
    void loRALinearMatchesTheExplicitMergedWeight() {
        Rng rng = new Rng(2);
        Linear base = new Linear(4, 3, rng);
        LoRALinear lora = new LoRALinear(base, 2, 4f, rng);
        randomiseB(lora.lora(), rng);
        // W' = W + (α/r)·B·A
        Tensor merged = base.weight().add(lora.lora().b().matmul(lora.lora().a()).mul(lora.lora().scale()));
        Tensor x = Tensor.randn(rng, 5, 4);
        Tensor expected = x.matmul(merged, false, true).add(base.bias());
        assertArrayEquals(expected.toFloatArray(), lora.forward(x).toFloatArray(), 1e-5f);
    }

    @Test
    void loRALinearGradientsIncludingTheInput() {
        Rng rng = new Rng(3);
        LoRALinear lora = new LoRALinear(new Linear(5, 4, rng), 2, 8f, rng);
        randomiseB(lora.lora(), rng);
        Tensor x = Tensor.randn(rng, 2, 3, 5).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(lora.parameters());
        inputs.add(x);
        gradCheck(() -> lora.forward(x), inputs, 7);
    }

    @Test
    void frozenBaseGetsNoGradient() {
        Rng rng = new Rng(4);
        LoRALinear lora = new LoRALinear(new Linear(5, 4, rng), 2, 8f, rng).freezeBase();
        randomiseB(lora.lora(), rng);
        lora.forward(Tensor.randn(rng, 3, 5)).sum().backward();
        assertNull(lora.base().weight().grad());
        assertNull(lora.base().bias().grad());
        assertTrue(lora.lora().a().grad() != null && lora.lora().b().grad() != null);
    }

    static LoRAMixerLinear mixer(Rng rng, int experts) {
        LoRAMixerLinear m = new LoRAMixerLinear(new Linear(5, 4, rng), experts, 2, 8f, rng);
        for (LoRAExpert e : m.experts()) randomiseB(e, rng);
        return m;
    }

    static List<Tensor> allInputs(Module m, Tensor... more) {
        List<Tensor> inputs = new ArrayList<>(m.parameters());
        inputs.addAll(List.of(more));
        return inputs;
    }

    @Test
    void mixerGradientsUnderHardRouting() {
        Rng rng = new Rng(5);
        LoRAMixerLinear m = mixer(rng, 3);
        Tensor x = Tensor.randn(rng, 2, 4, 5).requiresGrad(true);
        Routing route = Routing.hard(new int[] {0, 2, 2, 1, 0, 0, 2, 1}, 3);
        gradCheck(() -> m.forward(x, route), allInputs(m, x), 8);
    }

    @Test
    void mixerGradientsUnderSoftRoutingIncludingTheRouterLogits() {
        Rng rng = new Rng(6);
        LoRAMixerLinear m = mixer(rng, 3);
        Tensor x = Tensor.randn(rng, 6, 5).requiresGrad(true);
        Tensor logits = Tensor.randn(rng, 6, 3).requiresGrad(true);
        gradCheck(() -> m.forward(x, Routing.dense(logits.softmax())), allInputs(m, x, logits), 9);
    }

    @Test
    void mixerGradientsUnderRenormalisedTopK() {
        Rng rng = new Rng(7);
        LoRAMixerLinear m = mixer(rng, 4);
        Tensor x = Tensor.randn(rng, 6, 5).requiresGrad(true);
        // Well separated logits so the finite-difference steps never change the top-2 selection.
        float[] l = new float[24];
        for (int t = 0; t < 6; t++) for (int e = 0; e < 4; e++) l[t * 4 + e] = ((t + e) % 4) * 1.5f;
        Tensor logits = Tensor.of(l, 6, 4).requiresGrad(true);
        gradCheck(() -> m.forward(x, Routing.topK(logits.softmax(), 2, true)), allInputs(m, x, logits), 10);
    }

    @Test
    void oracleOneHotRoutingEqualsEachTasksOwnLoRA() {
        Rng rng = new Rng(8);
        LoRAMixerLinear m = mixer(rng, 3);
        Tensor x = Tensor.randn(rng, 6, 5);
        int[] task = {0, 1, 2, 2, 1, 0};
        Tensor mixed = m.forward(x, Routing.hard(task, 3));
        for (int t = 0; t < 6; t++) {
            Tensor single = new LoRALinear(m.base(), m.experts().get(task[t])).forward(x.slice(0, t, t + 1));
            assertArrayEquals(single.toFloatArray(), mixed.slice(0, t, t + 1).toFloatArray(), 1e-6f, "token " + t);
        }
        // Top-1 of a one-hot-like distribution, renormalised, is the same hard routing.
        float[] p = new float[18];
        for (int t = 0; t < 6; t++) for (int e = 0; e < 3; e++) p[t * 3 + e] = e == task[t] ? 0.8f : 0.1f;
        Tensor top1 = m.forward(x, Routing.topK(Tensor.of(p, 6, 3), 1, true));
        assertArrayEquals(mixed.toFloatArray(), top1.toFloatArray(), 1e-6f);
    }

    @Test
    void softRoutingIsTheWeightedSumOfSingleLoRAs() {
        Rng rng = new Rng(9);
        LoRAMixerLinear m = mixer(rng, 2);
        Tensor x = Tensor.randn(rng, 3, 5);
        Tensor p = Tensor.of(new float[] {0.25f, 0.75f, 1f, 0f, 0.5f, 0.5f}, 3, 2);
        Tensor y = m.forward(x, Routing.dense(p));
        Tensor base = m.base().forward(x);
        for (int t = 0; t < 3; t++) {
            for (int o = 0; o < 4; o++) {
                double expected = base.get(t, o);
                for (int e = 0; e < 2; e++) expected += p.get(t, e) * m.experts().get(e).delta(x.slice(0, t, t + 1)).get(0, o);
                assertEquals(expected, y.get(t, o), 1e-5);
            }
        }
    }

    @Test
    void frozenExpertsGetNoGradientButTheRouterDoes() {
        Rng rng = new Rng(11);
        LoRAMixerLinear m = mixer(rng, 3).freezeBase().freezeExperts();
        Tensor logits = Tensor.randn(rng, 4, 3).requiresGrad(true);
        m.forward(Tensor.randn(rng, 4, 5), Routing.dense(logits.softmax())).square().sum().backward();
        for (Tensor p : m.parameters()) assertNull(p.grad(), p.name());
        assertTrue(logits.grad() != null);
    }

    @Test
    void stateDictNamesAndBadArgumentsAreClear() {
        Rng rng = new Rng(12);
        LoRAMixerLinear m = mixer(rng, 2);
        assertEquals(List.of("base.weight", "base.bias", "experts.0.A", "experts.0.B", "experts.1.A", "experts.1.B"), List.copyOf(m.stateDict().keySet()));
        Tensor x = Tensor.randn(rng, 3, 5);
        var wrongTokens = assertThrows(IllegalArgumentException.class, () -> m.forward(x, Routing.hard(new int[] {0, 1}, 2)));
        assertTrue(wrongTokens.getMessage().contains("2 tokens"), wrongTokens.getMessage());
        var badExpert = assertThrows(IllegalArgumentException.class, () -> Routing.hard(new int[] {0, 3}, 2));
        assertTrue(badExpert.getMessage().contains("token 1 has expert 3"), badExpert.getMessage());
        var badK = assertThrows(IllegalArgumentException.class, () -> Routing.topK(Tensor.ones(3, 2), 3, true));
        assertTrue(badK.getMessage().contains("k must be in [1, 2]"), badK.getMessage());
        var misfit = assertThrows(IllegalArgumentException.class, () -> new LoRALinear(new Linear(5, 4, rng), new LoRAExpert(4, 4, 2, 8f, rng)));
        assertTrue(misfit.getMessage().contains("does not fit"), misfit.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LoRAExpert(5, 4, 5, 8f, rng));
    }

    @Test
    void explicitSlotsMatchTopKAndCarryGradientsToTheirWeights() {
        Rng rng = new Rng(13);
        LoRAMixerLinear m = mixer(rng, 3);
        Tensor x = Tensor.randn(rng, 4, 5).requiresGrad(true);
        float[] p = {0.6f, 0.3f, 0.1f, 0.1f, 0.2f, 0.7f, 0.5f, 0.1f, 0.4f, 0.2f, 0.7f, 0.1f};
        Tensor probs = Tensor.of(p, 4, 3);
        // top-2 slots of each token, in the order a token-choice router emits them
        int[] token = {0, 0, 1, 1, 2, 2, 3, 3}, expert = {0, 1, 2, 1, 0, 2, 1, 0};
        Tensor slotWeights = Tensor.of(new float[] {0.6f, 0.3f, 0.7f, 0.2f, 0.5f, 0.4f, 0.7f, 0.2f}, 8).requiresGrad(true);
        Tensor viaSlots = m.forward(x, Routing.slots(4, 3, token, expert, slotWeights));
        Tensor viaTopK = m.forward(x, Routing.topK(probs, 2, false));
        assertArrayEquals(viaTopK.toFloatArray(), viaSlots.toFloatArray(), 1e-5f);
        gradCheck(() -> m.forward(x, Routing.slots(4, 3, token, expert, slotWeights)), allInputs(m, x, slotWeights), 14);
        var bad = assertThrows(IllegalArgumentException.class, () -> Routing.slots(4, 3, new int[] {0, 4}, new int[] {0, 1}, null));
        assertTrue(bad.getMessage().contains("token 4 out of range [0, 4)"), bad.getMessage());
    }
}
