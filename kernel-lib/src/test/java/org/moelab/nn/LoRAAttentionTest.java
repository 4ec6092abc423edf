package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.moe.LoRAMixerLinear;
import org.moelab.moe.Routing;
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

    /** The attention with routed Q, K, V and O, one route for all four (one router per layer), through the hooks. */
    static Tensor mixed(MultiHeadAttention plain, List<LoRAMixerLinear> m, Tensor x, Routing route) {
        return plain.forward(x, h -> m.get(0).forward(h, route), h -> m.get(1).forward(h, route), h -> m.get(2).forward(h, route),
                h -> m.get(3).forward(h, route));
    }

    @Test
    void freshExpertsInsideAttentionLeaveItUnchanged() {
        Rng rng = new Rng(1);
        MultiHeadAttention plain = new MultiHeadAttention(8, 2, true, rng);
        List<LoRAMixerLinear> m = mixers(plain, 3, rng);
        Tensor x = Tensor.randn(rng, 2, 5, 8);
        Routing route = Routing.dense(Tensor.randn(rng, 10, 3).softmax());
        assertArrayEquals(plain.forward(x).toFloatArray(), mixed(plain, m, x, route).toFloatArray(), 0f);
        assertEquals(List.of("base.weight", "base.bias", "experts.0.A"), List.copyOf(m.get(0).stateDict().keySet()).subList(0, 3));
    }

    @Test
    void gradientsReachExpertsRouterAndInputThroughTheAttention() {
        Rng rng = new Rng(2);
        MultiHeadAttention plain = new MultiHeadAttention(8, 2, true, rng);
        List<LoRAMixerLinear> m = mixers(plain, 2, rng);
        for (LoRAMixerLinear p : m) for (LoRAExpert e : p.experts()) LoRATest.randomiseB(e, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 8).requiresGrad(true);
        Tensor logits = Tensor.randn(rng, 6, 2).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>();
        for (LoRAMixerLinear p : m) for (Tensor t : p.parameters()) if (t.requiresGrad()) inputs.add(t);
        assertEquals(4 * 2 * 2, inputs.size(), "only the experts' A and B are trainable with a frozen base");
        inputs.add(x);
        inputs.add(logits);
        LoRATest.gradCheck(() -> {
            return mixed(plain, m, x, Routing.dense(logits.softmax()));
        }, inputs, 21);
    }
}
