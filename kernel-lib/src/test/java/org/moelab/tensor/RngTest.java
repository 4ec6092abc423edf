package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shared shuffle: every caller (class blocks, hash tables, epoch orders, permutation tests) draws the same order. */
class RngTest {
    @Test
    void permutationHoldsEveryIndexOnceAndIsFixedBySeed() {
        int[] p = new Rng(7).permutation(1000);
        assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(p).sorted().toArray());
        assertArrayEquals(p, new Rng(7).permutation(1000));
        assertFalse(Arrays.equals(p, new Rng(8).permutation(1000)), "another seed, another order");
        assertFalse(Arrays.equals(p, IntStream.range(0, 1000).toArray()), "not the identity");
    }

    @Test
    void shuffleIsFisherYatesFromTheLastElement() {
        // The order every shuffle in the library drew before it was shared, so stored results keep their bits.
        int[] expected = IntStream.range(0, 50).toArray();
        Rng reference = new Rng(3);
        for (int i = expected.length - 1; i > 0; i--) {
            int j = reference.nextInt(i + 1), t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        int[] values = IntStream.range(0, 50).toArray();
        new Rng(3).shuffle(values);
        assertArrayEquals(expected, values);
    }
}
