package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.models.CausalTransformer;
import org.moelab.nn.LayerNorm;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** AdamW's decoupled decay reaches weight matrices only (by default), measured with all-zero gradients. */
class WeightDecayTest {
    /** A linear layer followed by a norm: one matrix, one bias, one gain and one shift. */
    static final class Tiny extends Module {
        final Linear linear = registerModule("linear", new Linear(3, 4, new Rng(1)));
        final LayerNorm norm = registerModule("norm", new LayerNorm(4));
    }

    /** Zero gradients make the Adam part of the step exactly 0, leaving only the decay. */
    static void zeroGradients(Module m) {
        for (Tensor p : m.parameters()) p.mul(0f).sum().backward();
    }

    static float[] copy(Tensor t) {
        return t.toFloatArray();
    }

    @Test
    void defaultPolicyDecaysMatricesAndSparesBiasesAndGains() {
        Tiny m = new Tiny();
        float[] w = copy(m.linear.weight()), b = copy(m.linear.bias()), g = copy(m.norm.weight()), s = copy(m.norm.bias());
        AdamW opt = AdamW.builder(m).learningRate(0.1f).weightDecay(0.5f).build();
        zeroGradients(m);
        opt.step();
        for (int i = 0; i < w.length; i++) assertEquals(w[i] * (1 - 0.1f * 0.5f), m.linear.weight().data()[i], 1e-7f);
        assertArrayEquals(b, m.linear.bias().data());
        assertArrayEquals(g, m.norm.weight().data());
        assertArrayEquals(s, m.norm.bias().data());
        assertTrue(opt.decays("linear.weight"));
        assertFalse(opt.decays("linear.bias"));
        assertFalse(opt.decays("norm.weight"));
    }

    @Test
    void customPolicyCanDecayEverything() {
        Tiny m = new Tiny();
        float[] b = copy(m.linear.bias());
        AdamW opt = AdamW.builder(m).learningRate(0.1f).weightDecay(0.5f).decayPolicy(WeightDecayPolicy.ALL).build();
        zeroGradients(m);
        opt.step();
        for (int i = 0; i < b.length; i++) assertEquals(b[i] * 0.95f, m.linear.bias().data()[i], 1e-7f);
        assertEquals(0.95f, m.norm.weight().data()[0], 1e-7f);
    }

    @Test
    void transformerEmbeddingsAndProjectionsDecayButNormsDoNot() {
        CausalTransformer lm = CausalTransformer.builder().vocab(5).dModel(8).heads(2).layers(1).maxLen(4).build();
        AdamW opt = AdamW.builder(lm).build();
        assertTrue(opt.decays("embed.weight"));
        assertTrue(opt.decays("blocks.0.attn.q.weight"));
        assertFalse(opt.decays("blocks.0.attn.q.bias"));
        assertFalse(opt.decays("blocks.0.norm1.weight"));
        assertFalse(opt.decays("norm.bias"));
    }
}
