package org.moelab.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainValidationSplitTest {
    @Test
    void defaultSplitIsNinetyTenOverTenBlocksDisjointAndCovering() {
        CharCorpus corpus = CharCorpus.shipped("tinytext");
        TrainValidationSplit split = corpus.split();
        assertEquals(10, split.blocks());
        assertEquals(corpus.length(), split.trainLength() + split.validationLength());
        assertEquals(0.1, split.validationLength() / (double) corpus.length(), 0.001);
        assertSpansTileTheCorpus(split, corpus.length());
    }

    @Test
    void configurableFractionAndBlocks() {
        TrainValidationSplit split = TrainValidationSplit.of(10_000, 0.25, 4);
        assertEquals(4, split.validation().size());
        assertEquals(2_500, split.validationLength());
        assertEquals(new Span(1_875, 2_500), split.validation().get(0));
        assertSpansTileTheCorpus(split, 10_000);
        TrainValidationSplit oneBlock = TrainValidationSplit.of(1_000, 0.1, 1);
        assertEquals(List.of(new Span(900, 1_000)), oneBlock.validation(), "one block: validation is the tail");
    }

    @Test
    void withSplitKeepsTheTextAndChangesOnlyTheSplit() {
        CharCorpus corpus = CharCorpus.shipped("tinytext");
        CharCorpus resplit = corpus.withSplit(0.2, 5);
        assertEquals(corpus.length(), resplit.length());
        assertEquals(5, resplit.split().blocks());
        assertEquals(0.2, resplit.split().validationLength() / (double) resplit.length(), 0.001);
    }

    @Test
    void badSplitParametersNameTheParameterAndRange() {
        var fraction = assertThrows(IllegalArgumentException.class, () -> TrainValidationSplit.of(1000, 1.0, 10));
        assertTrue(fraction.getMessage().startsWith("validationFraction must be in (0, 1)"), fraction.getMessage());
        var blocks = assertThrows(IllegalArgumentException.class, () -> TrainValidationSplit.of(1000, 0.1, 0));
        assertTrue(blocks.getMessage().startsWith("blocks must be in [1, 250]"), blocks.getMessage());
    }

    private static void assertSpansTileTheCorpus(TrainValidationSplit split, int length) {
        List<Span> all = new ArrayList<>(split.train());
        all.addAll(split.validation());
        all.sort(Comparator.comparingInt(Span::start));
        int expectedStart = 0;
        for (Span span : all) {
            assertEquals(expectedStart, span.start(), "spans are disjoint and leave no gap");
            assertTrue(span.length() >= 2);
            expectedStart = span.end();
        }
        assertEquals(length, expectedStart);
    }
}
