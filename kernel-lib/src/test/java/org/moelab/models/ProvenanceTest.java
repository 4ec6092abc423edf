package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's describe() is its builder's declared options, so no option can be left out of a run's provenance. */
class ProvenanceTest {
    @SuppressWarnings("unused")
    private static final class Options {
        private static final int IGNORED_CONSTANT = 3;
        private int experts = 8;
        private float lr = 2e-3f;
        private Float unset;
        private SmoeDropout.Arm arm = SmoeDropout.Arm.DENSE;
        private int[] ks = {1, 2};
        private List<Long> seeds = List.of(1L, 2L);
        private Object notPlainData = new Object();
    }

    @Test
    void everyPlainOptionInDeclarationOrderAfterTheModelName() {
        Map<String, String> m = Provenance.of("toy", new Options());
        assertEquals(List.of("model", "experts", "lr", "unset", "arm", "ks", "seeds"), List.copyOf(m.keySet()));
        assertEquals("toy", m.get("model"));
        assertEquals("8", m.get("experts"));
        assertEquals("0.002", m.get("lr"));
        assertEquals("default", m.get("unset"));
        assertEquals("DENSE", m.get("arm"));
        assertEquals("[1, 2]", m.get("ks"));
        assertEquals("[1, 2]", m.get("seeds"));
    }

    @Test
    void everyBuilderOptionOfThePaperModelsIsRecorded() {
        Map<String, String> smoe = SmoeDropout.builder().vocab(20).kMin(3).seed(9).build().describe();
        assertEquals("3", smoe.get("kMin"));
        assertEquals("9", smoe.get("seed"));
        assertEquals("SMOE_DROPOUT", smoe.get("arm"));
        // Every instance field of the builder is plain data, so every one of them is in the map.
        long fields = java.util.Arrays.stream(SmoeDropout.Builder.class.getDeclaredFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()).count();
        assertEquals(fields + 1, smoe.size(), smoe.toString());
        Map<String, String> evo = EvoMoE.builder().vocab(20).context(8).maskRatio(0.3f).build().describe();
        assertEquals("0.3", evo.get("maskRatio"));
        assertTrue(evo.containsKey("phaseAEnd") && evo.containsKey("tauMin"), evo.toString());
        assertFalse(evo.containsValue(null));
    }
}
