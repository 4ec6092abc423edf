package org.moelab.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;

class GeneratedCharCorpusTest {
    @Test
    void sameSeedSameCorpusDifferentSeedDifferentCorpus() {
        GeneratedCharCorpus a = CharCorpus.generated(new Rng(5), 20_000, 3);
        GeneratedCharCorpus b = CharCorpus.generated(new Rng(5), 20_000, 3);
        GeneratedCharCorpus c = CharCorpus.generated(new Rng(6), 20_000, 3);
        assertEquals(a.text(0, a.length()), b.text(0, b.length()));
        assertNotEquals(a.text(0, a.length()), c.text(0, c.length()));
        assertEquals(a.entropyFloorBitsPerChar(), b.entropyFloorBitsPerChar());
    }

    @Test
    void vocabularyIsTheAlphabetAndEveryTopicAppears() {
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(1), 50_000, 4);
        assertEquals(27, corpus.vocabSize());
        assertEquals(4, corpus.labelCount());
        int[] perTopic = new int[4];
        for (int i = 0; i < corpus.length(); i++) perTopic[corpus.topicAt(i)]++;
        for (int count : perTopic) assertTrue(count > 5_000, java.util.Arrays.toString(perTopic));
    }

    @Test
    void empiricalConditionalEntropyMatchesTheComputedFloor() {
        // Plug-in estimate of H(next | topic, previous two chars) from counts; with 6e5 chars its downward bias
        // is a few hundredths of a bit, so 0.05 bits is a real check of the floor's arithmetic.
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(11), 600_000, 2);
        double empirical = empiricalConditionalEntropyBits(corpus, 2);
        double floor = corpus.entropyFloorBitsPerChar();
        assertEquals(floor, empirical, 0.05, "floor " + floor + " vs empirical " + empirical);
        assertTrue(floor > 1.5 && floor < 3.2, "default spec gives a mid-range entropy, got " + floor);
        // The stationary entropy rates describe the same chains, so their mixture lands near the realised floor.
        double rates = (corpus.topicEntropyRateBits(0) + corpus.topicEntropyRateBits(1)) / 2;
        assertEquals(floor, rates, 0.05);
        assertEquals(floor, corpus.validationEntropyFloorBitsPerChar(), 0.05);
    }

    @Test
    void conditionalEntropyOfAContextIsAtMostLog2OfTheAlphabet() {
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(9), 5_000, 2);
        double h = corpus.conditionalEntropyBits(1, "q ");
        assertTrue(h >= 0 && h <= Math.log(27) / Math.log(2) + 1e-12, "H = " + h);
    }

    @Test
    void higherConcentrationRaisesTheFloorTowardsUniform() {
        MarkovMixtureSpec flat = MarkovMixtureSpec.defaults(1).withConcentration(100).withOrder(1);
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(2), 10_000, flat);
        double uniform = Math.log(27) / Math.log(2);
        assertEquals(uniform, corpus.topicEntropyRateBits(0), 0.05);
        assertEquals(uniform, corpus.entropyFloorBitsPerChar(), 0.05);
    }

    @Test
    void batchLabelsAreTheTopicsOfTheTargets() {
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(3), 30_000, 3);
        Batch b = corpus.batches(new Rng(4), 8, 64).next();
        assertTrue(b.hasLabels());
        for (int r = 0; r < b.rows(); r++) {
            for (int t = 0; t < 64; t++) {
                assertEquals(corpus.topicAt(b.starts()[r] + 1 + t), b.labels()[r * 64 + t]);
            }
        }
        Batch v = corpus.validationBatches(8, 64).get(0);
        assertEquals(corpus.topicAt(v.starts()[0] + 1), v.labels()[0]);
    }

    @Test
    void withSplitKeepsTheGeneratedText() {
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(3), 30_000, 3);
        GeneratedCharCorpus resplit = corpus.withSplit(0.2, 3);
        assertEquals(corpus.text(0, 100), resplit.text(0, 100));
        assertEquals(corpus.entropyFloorBitsPerChar(), resplit.entropyFloorBitsPerChar());
    }

    @Test
    void badGeneratorParametersNameTheParameter() {
        var chars = assertThrows(IllegalArgumentException.class, () -> CharCorpus.generated(new Rng(1), 10, 2));
        assertTrue(chars.getMessage().startsWith("chars must be in [1000, "), chars.getMessage());
        var topics = assertThrows(IllegalArgumentException.class, () -> CharCorpus.generated(new Rng(1), 5000, 0));
        assertTrue(topics.getMessage().startsWith("topics must be in [1, 256]"), topics.getMessage());
        var order = assertThrows(IllegalArgumentException.class, () -> MarkovMixtureSpec.defaults(2).withOrder(9));
        assertTrue(order.getMessage().startsWith("order must be in [1, 4]"), order.getMessage());
        GeneratedCharCorpus corpus = CharCorpus.generated(new Rng(1), 5_000, 2);
        var topic = assertThrows(IllegalArgumentException.class, () -> corpus.topicEntropyRateBits(2));
        assertTrue(topic.getMessage().startsWith("topic must be in [0, 1]"), topic.getMessage());
        var context = assertThrows(IllegalArgumentException.class, () -> corpus.conditionalEntropyBits(0, "abc"));
        assertTrue(context.getMessage().startsWith("context must have exactly 2 chars"), context.getMessage());
    }

    private static double empiricalConditionalEntropyBits(GeneratedCharCorpus corpus, int order) {
        Map<Long, int[]> counts = new HashMap<>();
        int v = corpus.vocabSize();
        for (int i = order; i < corpus.length(); i++) {
            long key = corpus.topicAt(i);
            for (int j = i - order; j < i; j++) key = key * v + corpus.idAt(j);
            counts.computeIfAbsent(key, k -> new int[v])[corpus.idAt(i)]++;
        }
        double bits = 0;
        long n = 0;
        for (int[] row : counts.values()) {
            long total = 0;
            for (int c : row) total += c;
            for (int c : row) if (c > 0) bits -= c * Math.log((double) c / total) / Math.log(2);
            n += total;
        }
        return bits / n;
    }
}
