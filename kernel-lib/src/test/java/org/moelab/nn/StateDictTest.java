package org.moelab.nn;

import org.moelab.models.CausalTransformer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** State dict round trips, and failed loads that name the problem and change nothing. */
class StateDictTest {
    static CausalTransformer model(long seed) {
        return CausalTransformer.builder().vocab(11).dModel(8).heads(2).layers(2).maxLen(5).seed(seed).build();
    }

    static final int[] TOKENS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void roundTripReproducesTheModelExactly() {
        CausalTransformer a = model(1), b = model(2);
        assertFalse(java.util.Arrays.equals(a.forward(TOKENS, 2, 5).toFloatArray(), b.forward(TOKENS, 2, 5).toFloatArray()));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.forward(TOKENS, 2, 5).toFloatArray(), b.forward(TOKENS, 2, 5).toFloatArray());
        assertStateEquals(a.stateDict(), b.stateDict());
    }

    @Test
    void stateDictIsACopy() {
        CausalTransformer a = model(1);
        LinkedHashMap<String, float[]> state = a.stateDict();
        float before = a.namedParameters().get("head.weight").data()[0];
        state.get("head.weight")[0] += 1f;
        assertEquals(before, a.namedParameters().get("head.weight").data()[0]);
    }

    @Test
    void missingKeyIsNamedAndNothingChanges() {
        CausalTransformer target = model(2);
        LinkedHashMap<String, float[]> before = target.stateDict();
        LinkedHashMap<String, float[]> source = model(1).stateDict();
        source.remove("blocks.1.ffn.down.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(source));
        assertTrue(e.getMessage().contains("Missing keys: [blocks.1.ffn.down.bias]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("CausalTransformer.loadStateDict"), e.getMessage());
        assertStateEquals(before, target.stateDict());
    }

    @Test
    void unexpectedKeyIsNamedAndNothingChanges() {
        CausalTransformer target = model(2);
        LinkedHashMap<String, float[]> before = target.stateDict();
        LinkedHashMap<String, float[]> source = model(1).stateDict();
        source.put("blocks.2.attn.q.weight", new float[64]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(source));
        assertTrue(e.getMessage().contains("Unexpected keys: [blocks.2.attn.q.weight]"), e.getMessage());
        assertStateEquals(before, target.stateDict());
    }

    @Test
    void sizeMismatchNamesKeyAndBothSizesAndNothingChanges() {
        CausalTransformer target = model(2);
        LinkedHashMap<String, float[]> before = target.stateDict();
        LinkedHashMap<String, float[]> source = model(1).stateDict();
        source.put("norm.weight", new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(source));
        assertTrue(e.getMessage().contains("norm.weight (checkpoint has 3 values, expected 8)"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was loaded"), e.getMessage());
        assertStateEquals(before, target.stateDict());
    }

    @Test
    void nonStrictLoadSkipsMissingAndUnexpectedButNotSizeMismatch() {
        CausalTransformer target = model(2);
        LinkedHashMap<String, float[]> source = model(1).stateDict();
        source.remove("head.weight");
        source.put("adapter.a", new float[4]);
        float headBefore = target.namedParameters().get("head.weight").data()[0];
        target.loadStateDict(source, false);
        assertArrayEquals(source.get("embed.weight"), target.namedParameters().get("embed.weight").data());
        assertEquals(headBefore, target.namedParameters().get("head.weight").data()[0]);
        source.put("norm.bias", new float[1]);
        assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(source, false));
    }

    @Test
    void namesAreDottedAndInRegistrationOrder() {
        CausalTransformer m = model(1);
        List<String> names = List.copyOf(m.namedParameters().keySet());
        assertEquals("embed.weight", names.get(0));
        assertEquals("pos.weight", names.get(1));
        assertEquals(List.of("blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.attn.q.weight", "blocks.0.attn.q.bias"), names.subList(2, 6));
        assertTrue(names.contains("blocks.1.ffn.down.bias"));
        assertEquals(List.of("norm.weight", "norm.bias", "head.weight"), names.subList(names.size() - 3, names.size()));
        // embed 11·8 + pos 5·8 + per block (2 norms 32 + attention 4·72 + ffn 8·32+32 + 32·8+8) + final norm 16 + head 8·11
        long perBlock = 32 + 4 * 72 + (8 * 32 + 32) + (32 * 8 + 8);
        assertEquals(88 + 40 + 2 * perBlock + 16 + 88, m.numParameters());
        assertEquals(m.numParameters(), m.parameters().stream().mapToLong(p -> p.numel()).sum());
    }

    static void assertStateEquals(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }
}
