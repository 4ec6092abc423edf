package org.moelab.nn;

import org.moelab.models.CausalTransformer;
import org.moelab.moe.RoutingContext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Registration, modes, gradients and initialisation of modules. */
class ModuleTest {
    @Test
    void evalAndTrainReachEveryDescendant() {
        CausalTransformer m = CausalTransformer.builder().vocab(5).dModel(8).heads(2).layers(2).maxLen(4).dropout(0.5f).build();
        assertTrue(m.isTraining());
        m.eval();
        assertFalse(m.blocks().get(1).attention().isTraining());
        assertFalse(m.blocks().get(0).attentionNorm().isTraining());
        m.train();
        assertTrue(m.blocks().get(1).feedForward().isTraining());
    }

    @Test
    void dropoutActsInTrainingPassesOnly() {
        // The pass, not the module's mode, says whether dropout acts: the one training flag routers and dropout share.
        CausalTransformer m = CausalTransformer.builder().vocab(5).dModel(8).heads(2).layers(1).maxLen(4).dropout(0.5f).seed(3).build();
        int[] tokens = {1, 2, 3, 4};
        float[] a = m.forward(tokens, 1, 4).toFloatArray(), b = m.forward(tokens, 1, 4, RoutingContext.evaluation()).toFloatArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
        float[] trained = m.forward(tokens, 1, 4, RoutingContext.training(0, new Rng(1))).toFloatArray();
        assertFalse(java.util.Arrays.equals(a, trained));
        assertArrayEquals(trained, m.forward(tokens, 1, 4, RoutingContext.training(0, new Rng(1))).toFloatArray(), "the pass's stream fixes the masks");
    }

    @Test
    void zeroGradDropsEveryGradient() {
        Linear l = new Linear(3, 2, new Rng(1));
        l.forward(Tensor.ones(4, 3)).sum().backward();
        assertNotNull(l.weight().grad());
        assertNotNull(l.bias().grad());
        l.zeroGrad();
        assertNull(l.weight().grad());
        assertNull(l.bias().grad());
    }

    @Test
    void linearInitIsUniformWithinOneOverSqrtIn() {
        Linear l = new Linear(16, 64, new Rng(1));
        float bound = 0.25f, max = 0;
        for (float w : l.weight().data()) max = Math.max(max, Math.abs(w));
        assertTrue(max <= bound && max > 0.9f * bound, "max |w| = " + max);
        for (float b : l.bias().data()) assertTrue(Math.abs(b) <= bound);
    }

    @Test
    void duplicateOrDottedNamesAreRejected() {
        class Twice extends Module {
            Twice(String second) {
                registerParameter("w", Tensor.zeros(2));
                registerParameter(second, Tensor.zeros(2));
            }
        }
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new Twice("w"));
        assertEquals("Twice: name 'w' is already registered", dup.getMessage());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class, () -> new Twice("a.b"));
        assertEquals("Twice: name must be non-empty without '.', got 'a.b'", dotted.getMessage());
    }

    @Test
    void tiedWeightsAreListedOnce() {
        class Tied extends Module {
            final Embedding embed = registerModule("embed", new Embedding(5, 3, new Rng(1)));

            Tied() {
                registerParameter("head", embed.weight());
            }
        }
        Tied t = new Tied();
        // Own parameters come before children's (PyTorch's order), so the root's name wins.
        assertEquals(java.util.List.of("head"), java.util.List.copyOf(t.namedParameters().keySet()));
        assertEquals(15, t.numParameters());
    }

    @Test
    void namedModulesListsDescendantsWithDottedNames() {
        CausalTransformer m = CausalTransformer.builder().vocab(5).dModel(8).heads(2).layers(2).maxLen(4).build();
        var modules = m.namedModules();
        assertTrue(modules.get("blocks.1.attn.q") instanceof Linear);
        assertTrue(modules.get("blocks.0.ffn") instanceof FeedForward);
        assertEquals(java.util.List.of("embed", "pos", "blocks", "blocks.0", "blocks.0.norm1"), java.util.List.copyOf(modules.keySet()).subList(0, 5));
    }

    @Test
    void sinCosTablesFollowTheFormula() {
        Tensor t = SinCosPositionalEmbedding.oneD(10, 8).table();
        // position 3, frequency index 1 of 4: ω = 10000^(-1/4)
        double angle = 3 * Math.pow(10000, -0.25);
        assertEquals(Math.sin(angle), t.get(3, 1), 1e-6);
        assertEquals(Math.cos(angle), t.get(3, 5), 1e-6);
        Tensor grid = SinCosPositionalEmbedding.twoD(2, 3, 8).table();
        // patch 5 is row 1, column 2: the first half encodes the column, the second the row
        assertEquals(Math.sin(2), grid.get(5, 0), 1e-6);
        assertEquals(Math.sin(1), grid.get(5, 4), 1e-6);
        assertEquals(0, SinCosPositionalEmbedding.oneD(4, 4).numParameters());
    }
}
