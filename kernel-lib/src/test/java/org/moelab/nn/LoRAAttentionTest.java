package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** LoRAMixerLinear as a drop-in for an attention's Q, K, V and O projections. */
class LoRAAttentionTest {
    static List<LoRAMixerLinear> mixers(MultiHeadAttention plain, int experts, Rng rng) {
        List<LoRAMixerLinear> out = new ArrayList<>();
        for (Layer p : List.of(plain.query(), plain.key(), plain.value(), plain.output())) {
            out.add(new LoRAMixerLinear((Linear) p, experts, 2, 8f, rng).freezeBase());
        }
        return out;
    }

    static MultiHeadAttention mixed(MultiHeadAttention plain, List<LoRAMixerLinear> m) {
        return MultiHeadAttention.withProjections(plain.dModel(), plain.heads(), plain.causal(), m.get(0), m.get(1), m.get(2), m.get(3));
    }

    @Test
    void freshExpertsInsideAttentionLeaveItUnchanged() {
        Rng rng = new Rng(1);
        MultiHeadAttention plain = new MultiHeadAttention(8, 2, true, rng);
        List<LoRAMixerLinear> m = mixers(plain, 3, rng);
        MultiHeadAttention attention = mixed(plain, m);
        Tensor x = Tensor.randn(rng, 2, 5, 8);
        LoRARoute route = LoRARoute.soft(Tensor.randn(rng, 10, 3).softmax());
        m.forEach(p -> p.route(route));   // one router per layer, shared by Q, K, V and O
        assertArrayEquals(plain.forward(x).toFloatArray(), attention.forward(x).toFloatArray(), 0f);
        assertEquals(List.of("q.base.weight", "q.base.bias", "q.experts.0.A"), List.copyOf(attention.stateDict().keySet()).subList(0, 3));
    }

    @Test
    void gradientsReachExpertsRouterAndInputThroughTheAttention() {
        Rng rng = new Rng(2);
        MultiHeadAttention plain = new MultiHeadAttention(8, 2, true, rng);
        List<LoRAMixerLinear> m = mixers(plain, 2, rng);
        for (LoRAMixerLinear p : m) for (LoRAExpert e : p.experts()) LoRATest.randomiseB(e, rng);
        MultiHeadAttention attention = mixed(plain, m);
        Tensor x = Tensor.randn(rng, 2, 3, 8).requiresGrad(true);
        Tensor logits = Tensor.randn(rng, 6, 2).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor p : attention.parameters()) if (p.requiresGrad()) inputs.add(p);
        assertEquals(4 * 2 * 2, inputs.size(), "only the experts' A and B are trainable with a frozen base");
        inputs.add(x);
        inputs.add(logits);
        LoRATest.gradCheck(() -> {
            LoRARoute route = LoRARoute.soft(logits.softmax());
            m.forEach(p -> p.route(route));
            return attention.forward(x);
        }, inputs, 21);
    }
}
