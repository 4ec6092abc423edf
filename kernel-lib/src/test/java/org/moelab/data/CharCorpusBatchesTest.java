package org.moelab.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;

class CharCorpusBatchesTest {
    private static final CharCorpus CORPUS = CharCorpus.shipped("tinytext");

    @Test
    void batchShapesAndTargetsAreInputsShiftedByOne() {
        Batch b = CORPUS.batches(new Rng(1), 8, 64).next();
        assertEquals(8, b.rows());
        assertEquals(64, b.context());
        assertEquals(8 * 64, b.inputs().length);
        assertEquals(8 * 64, b.targets().length);
        assertFalse(b.hasLabels(), "a plain text has no labels");
        for (int r = 0; r < b.rows(); r++) {
            for (int t = 0; t + 1 < b.context(); t++) assertEquals(b.input(r, t + 1), b.target(r, t));
            int start = b.starts()[r];
            assertEquals(CORPUS.idAt(start + 64), b.target(r, 63), "last target is the char after the window");
            for (int t = 0; t < 64; t++) assertEquals(CORPUS.idAt(start + t), b.input(r, t));
        }
    }

    @Test
    void trainingWindowsStayInsideTrainingSpans() {
        Iterator<Batch> batches = CORPUS.batches(new Rng(3), 32, 128);
        for (int i = 0; i < 50; i++) {
            for (int start : batches.next().starts()) {
                int lastTarget = start + 128;
                assertTrue(CORPUS.split().train().stream().anyMatch(s -> s.contains(start) && s.contains(lastTarget)),
                        "window at " + start + " crosses out of the training split");
            }
        }
    }

    @Test
    void sameSeedSameBatchesDifferentSeedDifferentBatches() {
        Iterator<Batch> a = CORPUS.batches(new Rng(7), 4, 32);
        Iterator<Batch> b = CORPUS.batches(new Rng(7), 4, 32);
        Iterator<Batch> c = CORPUS.batches(new Rng(8), 4, 32);
        boolean anyDifferent = false;
        for (int i = 0; i < 5; i++) {
            Batch x = a.next(), y = b.next(), z = c.next();
            assertArrayEquals(x.inputs(), y.inputs());
            assertArrayEquals(x.targets(), y.targets());
            anyDifferent |= !Arrays.equals(x.inputs(), z.inputs());
        }
        assertTrue(anyDifferent);
    }

    @Test
    void stepKeyedBatchesDependOnlyOnSeedAndStep() {
        Rng rng = new Rng(7);
        Batch step5 = CORPUS.trainingBatch(rng, 5, 4, 32);
        CORPUS.trainingBatch(rng, 6, 4, 32);
        assertArrayEquals(step5.inputs(), CORPUS.trainingBatch(new Rng(7), 5, 4, 32).inputs(), "no hidden state");
        assertFalse(Arrays.equals(step5.inputs(), CORPUS.trainingBatch(rng, 6, 4, 32).inputs()));
        assertFalse(Arrays.equals(step5.inputs(), CORPUS.trainingBatch(new Rng(8), 5, 4, 32).inputs()));
        var e = assertThrows(IllegalArgumentException.class, () -> CORPUS.trainingBatch(rng, -1, 4, 32));
        assertEquals("step must be >= 0, got -1", e.getMessage());
    }

    @Test
    void validationBatchesAreFixedAndCountEachTargetOnce() {
        int context = 64;
        List<Batch> first = CORPUS.validationBatches(16, context);
        List<Batch> second = CORPUS.validationBatches(16, context);
        assertEquals(first.size(), second.size());
        boolean[] targeted = new boolean[CORPUS.length()];
        int targets = 0;
        for (int i = 0; i < first.size(); i++) {
            Batch b = first.get(i);
            assertArrayEquals(b.inputs(), second.get(i).inputs());
            assertTrue(b.rows() == 16 || i == first.size() - 1, "only the last batch may be short");
            for (int start : b.starts()) {
                for (int p = start + 1; p <= start + context; p++) {
                    final int position = p;
                    assertFalse(targeted[p], "position " + p + " targeted twice");
                    assertTrue(CORPUS.split().validation().stream().anyMatch(s -> s.contains(position)));
                    targeted[p] = true;
                    targets++;
                }
            }
        }
        // Per span at most `context` chars are left out (its first char and a short tail).
        int spans = CORPUS.split().validation().size();
        assertTrue(targets > CORPUS.split().validationLength() - spans * context, "targets " + targets);
    }

    @Test
    void badBatchParametersNameTheParameterAndAllowedRange() {
        var size = assertThrows(IllegalArgumentException.class, () -> CORPUS.batches(new Rng(1), 0, 64));
        assertEquals("batchSize must be >= 1, got 0", size.getMessage());
        var ctx = assertThrows(IllegalArgumentException.class, () -> CORPUS.batches(new Rng(1), 4, 0));
        assertTrue(ctx.getMessage().startsWith("context must be in [1, "), ctx.getMessage());
        var tooLong = assertThrows(IllegalArgumentException.class, () -> CORPUS.validationBatches(4, 100_000));
        assertTrue(tooLong.getMessage().startsWith("context must be in [1, ") && tooLong.getMessage().contains("validation"),
                tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CORPUS.validationBatches(-1, 64));
    }
}
