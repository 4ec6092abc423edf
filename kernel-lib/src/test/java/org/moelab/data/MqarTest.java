package org.moelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;

/** The MQAR generator obeys zoology's multiquery_ar constraints. */
class MqarTest {
    @Test
    void sequencesFollowTheSpec() {
        Mqar task = new Mqar(128, 64);
        int[] choices = {4, 8, 16};
        Mqar.Batch b = task.generate(200, choices, new Rng(3));
        int nearGaps = 0, gaps = 0;
        for (int r = 0; r < b.rows(); r++) {
            int p = b.pairsPerRow()[r], off = r * 64;
            Set<Integer> keys = new HashSet<>(), values = new HashSet<>();
            for (int i = 0; i < p; i++) {
                int k = b.inputs()[off + 2 * i], v = b.inputs()[off + 2 * i + 1];
                assertTrue(k >= 1 && k < 64, "key " + k + " outside [1, V/2)");
                assertTrue(v >= 64 && v < 128, "value " + v + " outside [V/2, V)");
                assertTrue(keys.add(k) && values.add(v), "keys and values are drawn without replacement");
                assertEquals(Mqar.IGNORE, b.targets()[off + 2 * i]);
                assertEquals(Mqar.IGNORE, b.targets()[off + 2 * i + 1]);
            }
            int labelled = 0;
            Set<Integer> queried = new HashSet<>();
            for (int t = 0; t < 64; t++) {
                int target = b.targets()[off + t];
                assertTrue(b.inputs()[off + t] >= 0 && b.inputs()[off + t] < 128);
                if (target == Mqar.IGNORE) continue;
                labelled++;
                assertTrue(t >= 2 * p && (t - 2 * p) % 2 == 0, "queries sit at even offsets after the context");
                int key = b.inputs()[off + t];
                assertTrue(queried.add(key), "each key is queried once");
                int at = -1;
                for (int i = 0; i < p; i++) if (b.inputs()[off + 2 * i] == key) at = i;
                assertTrue(at >= 0, "a query is one of the row's keys");
                assertEquals(b.inputs()[off + 2 * at + 1], target, "the label is the key's value");
                gaps++;
                if ((t - 2 * p) / 2 < 4) nearGaps++;
            }
            assertEquals(p, labelled);
        }
        // a = 0.01: p(gap) ∝ gap^-0.99, so short gaps dominate
        assertTrue(nearGaps > gaps / 4, nearGaps + " of " + gaps + " gaps are < 4 (uniform gaps would give about a fifth)");
        assertEquals(b.queryPositions().length, b.queryTargets().length);
    }

    @Test
    void seededAndEveryChoiceUsed() {
        Mqar task = new Mqar(128, 64);
        Mqar.Batch a = task.generate(50, new int[] {4, 16}, new Rng(9)), b = task.generate(50, new int[] {4, 16}, new Rng(9));
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targets(), b.targets());
        Set<Integer> seen = new HashSet<>();
        for (int p : a.pairsPerRow()) seen.add(p);
        assertEquals(Set.of(4, 16), seen);
    }

    @Test
    void constraintsGiveClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Mqar(64, 64)).getMessage().contains("vocab must be > length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Mqar(128, 63)).getMessage().contains("length must be even"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Mqar(128, 64).generate(1, 17, new Rng(1))).getMessage().contains("4·pairs must be <= length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Mqar(128, 64).generate(1, 0, new Rng(1))).getMessage().contains("pairs must be >= 1"));
    }
}
