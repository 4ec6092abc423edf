package org.moelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;

class MixLm4Test {
    @Test
    void sourcesFollowTheirRules() {
        MixLm4 lm = new MixLm4(1);
        Rng rng = new Rng(2);
        for (int rep = 0; rep < 20; rep++) {
            int[] c = lm.sequence(0, rng);
            int k = Math.floorMod(c[1] - c[0], 16);
            for (int t = 1; t < c.length; t++) assertEquals((c[t - 1] + k) % 16, c[t]);
            for (int v : lm.sequence(1, rng)) assertTrue(v >= 8 && v < 24);
            int[] copy = lm.sequence(2, rng);
            for (int t = 8; t < copy.length; t++) assertEquals(copy[t - 8], copy[t]);
            int[] dyck = lm.sequence(3, rng);
            int[] stack = new int[32];
            int depth = 0;
            for (int v : dyck) {
                assertTrue(v >= 24 && v < 32);
                if (v < 28) stack[depth++] = v;
                else assertEquals(v - 4, stack[--depth], "closing bracket must match");
            }
            assertEquals(0, depth, "balanced at the end");
        }
    }

    @Test
    void validationIsFixedBalancedAndLabelled() {
        List<Batch> a = new MixLm4(5).validation(64), b = new MixLm4(5).validation(64);
        assertEquals(8, a.size());
        int[] perSource = new int[4];
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).inputs(), b.get(i).inputs());
            Batch x = a.get(i);
            for (int r = 0; r < x.rows(); r++) {
                perSource[x.labels()[r * 32]]++;
                assertEquals(MixLm4.BOS, x.input(r, 0));
                for (int t = 1; t < 32; t++) assertEquals(x.target(r, t - 1), x.input(r, t));
            }
        }
        assertArrayEquals(new int[] {128, 128, 128, 128}, perSource);
    }

    @Test
    void trainingBatchesDependOnSeedAndStepOnly() {
        MixLm4 lm = new MixLm4(3);
        assertArrayEquals(lm.trainingBatch(7, 8).inputs(), new MixLm4(3).trainingBatch(7, 8).inputs());
        assertTrue(!java.util.Arrays.equals(lm.trainingBatch(7, 8).inputs(), lm.trainingBatch(8, 8).inputs()));
    }
}
