package org.moelab.data;

import java.util.ArrayList;
import java.util.List;
import org.moelab.tensor.Rng;

/**
 * Multi-query associative recall, a port of zoology's {@code multiquery_ar} (HazyResearch/zoology,
 * {@code zoology/data/multiquery_ar.py}): the synthetic task on which one fixed-size recurrent memory runs out of
 * room while attention does not.
 *
 * <p>One sequence of length T with P pairs: keys drawn without replacement from [1, V/2), values from [V/2, V);
 * the first 2P tokens are k₁ v₁ k₂ v₂ …; each key is then queried once in the remaining T − 2P positions, at
 * offset 2P + 2·gap where the gaps are drawn without replacement with p(gap) ∝ a·gap^(a−1) (a = 0.01 favours short
 * gaps); every other position holds a uniformly random token (zoology's {@code random_non_queries}). Only the
 * position of a query key is labelled, with its value as the next-token target; the rest is
 * {@link #IGNORE}. Zoology's constraints: T even, V > T, 4P ≤ T.
 */
public final class Mqar {
    /** The target of an unlabelled position (PyTorch's ignore_index). */
    public static final int IGNORE = -100;

    private final int vocab, length;
    private final double powerA;

    /** @param powerA the power-law exponent a of the query gaps (zoology's default 0.01) */
    public Mqar(int vocab, int length, double powerA) {
        if (length < 4 || length % 2 != 0) throw new IllegalArgumentException("Mqar: length must be even and >= 4 (zoology asserts input_seq_len % 2 == 0), got " + length);
        if (vocab <= length) throw new IllegalArgumentException("Mqar: vocab must be > length (zoology asserts vocab_size > input_seq_len): vocab=" + vocab + ", length=" + length);
        if (!(powerA > 0 && powerA <= 1)) throw new IllegalArgumentException("Mqar: powerA must be in (0, 1], got " + powerA);
        this.vocab = vocab;
        this.length = length;
        this.powerA = powerA;
    }

    public Mqar(int vocab, int length) {
        this(vocab, length, 0.01);
    }

    /** A batch of sequences, one number of pairs per row; row-major [rows, length]. */
    public record Batch(int rows, int length, int[] inputs, int[] targets, int[] pairsPerRow) {
        /** Flat indices (row·length + t) of the labelled (query) positions, in order. */
        public int[] queryPositions() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < targets.length; i++) if (targets[i] != IGNORE) out.add(i);
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The targets at {@link #queryPositions()}. */
        public int[] queryTargets() {
            int[] pos = queryPositions(), out = new int[pos.length];
            for (int i = 0; i < pos.length; i++) out[i] = targets[pos[i]];
            return out;
        }
    }

    /** The largest P this vocabulary and length allow (4P ≤ T, enough distinct keys and values). */
    public int maxPairs() {
        return Math.min(length / 4, Math.min(vocab / 2 - 1, vocab - vocab / 2));
    }

    public void requirePairs(int pairs) {
        if (pairs < 1) throw new IllegalArgumentException("Mqar: pairs must be >= 1, got " + pairs);
        if (4 * pairs > length) throw new IllegalArgumentException("Mqar: 4·pairs must be <= length (zoology asserts num_kv_pairs * 4 <= input_seq_len): pairs=" + pairs + ", length=" + length);
        if (pairs > vocab / 2 - 1) throw new IllegalArgumentException("Mqar: only " + (vocab / 2 - 1) + " distinct keys in [1, vocab/2) for " + pairs + " pairs; raise vocab");
    }

    /** {@code rows} sequences, each with a number of pairs drawn uniformly from {@code pairChoices}. */
    public Batch generate(int rows, int[] pairChoices, Rng rng) {
        if (pairChoices.length == 0) throw new IllegalArgumentException("Mqar: pairChoices must not be empty");
        for (int p : pairChoices) requirePairs(p);
        int[] inputs = new int[rows * length], targets = new int[rows * length], pairs = new int[rows];
        for (int r = 0; r < rows; r++) {
            pairs[r] = pairChoices[rng.nextInt(pairChoices.length)];
            row(pairs[r], rng, inputs, targets, r * length);
        }
        return new Batch(rows, length, inputs, targets, pairs);
    }

    public Batch generate(int rows, int pairs, Rng rng) {
        return generate(rows, new int[] {pairs}, rng);
    }

    private void row(int p, Rng rng, int[] inputs, int[] targets, int off) {
        int half = vocab / 2;
        int[] keys = sample(1, half, p, rng), values = sample(half, vocab, p, rng);
        java.util.Arrays.fill(inputs, off, off + length, -1);
        java.util.Arrays.fill(targets, off, off + length, IGNORE);
        for (int i = 0; i < p; i++) {
            inputs[off + 2 * i] = keys[i];
            inputs[off + 2 * i + 1] = values[i];
        }
        int[] gaps = powerLawGaps((length - 2 * p) / 2, p, rng);
        for (int i = 0; i < p; i++) {
            int at = 2 * p + 2 * gaps[i];
            inputs[off + at] = keys[i];
            targets[off + at] = values[i];                 // next token after the query key is its value
        }
        for (int t = 0; t < length; t++) if (inputs[off + t] < 0) inputs[off + t] = rng.nextInt(vocab);
    }

    /** n distinct integers from [from, to), in draw order (a partial Fisher–Yates shuffle). */
    private static int[] sample(int from, int to, int n, Rng rng) {
        int[] pool = new int[to - from];
        for (int i = 0; i < pool.length; i++) pool[i] = from + i;
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        return java.util.Arrays.copyOf(pool, n);
    }

    /** n distinct gaps from [0, space) with p(gap) ∝ a·(gap+1)^(a−1), drawn sequentially without replacement (numpy's choice). */
    private int[] powerLawGaps(int space, int n, Rng rng) {
        double[] w = new double[space];
        for (int g = 0; g < space; g++) w[g] = powerA * StrictMath.pow(g + 1, powerA - 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (double x : w) total += x;
            double u = rng.nextDouble() * total, acc = 0;
            int pick = space - 1;
            for (int g = 0; g < space; g++) {
                if (w[g] == 0) continue;
                acc += w[g];
                if (u < acc) {
                    pick = g;
                    break;
                }
            }
            while (w[pick] == 0) pick--;                  // guard against rounding at the end of the range
            out[i] = pick;
            w[pick] = 0;
        }
        return out;
    }

    public int vocab() {
        return vocab;
    }

    public int length() {
        return length;
    }

    /** Whether a token is a key ([1, V/2)). */
    public boolean isKey(int token) {
        return token >= 1 && token < vocab / 2;
    }
}
