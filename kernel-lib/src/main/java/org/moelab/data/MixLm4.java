package org.moelab.data;

import java.util.ArrayList;
import java.util.List;
import org.moelab.tensor.Rng;

/**
 * MixLM-4, the generated four-source language of the EvoMoE plan: 32 tokens plus BOS, sequences of 32 tokens, each
 * from one source. The sources share token ranges, so the token id alone does not tell the source (Hash routing
 * cannot specialise by source):
 * <ol start="0">
 *   <li><b>counter</b>: x_{t+1} = (x_t + k) mod 16 over 0–15, k ∈ {1, 2, 3} fixed per sequence;</li>
 *   <li><b>markov</b>: order-1 chain over 8–23, each state with 3 successors of probability 0.6, 0.3, 0.1 (a
 *       random table fixed by the language seed);</li>
 *   <li><b>copy</b>: a random 8-token string over 16–31, repeated to the end (the repeats need attention);</li>
 *   <li><b>dyck</b>: well-nested brackets of 4 kinds, opens 24–27 and closes 28–31, balanced at the end.</li>
 * </ol>
 * Everything is drawn from seeded streams: the training batch of a step depends only on (seed, step), and the
 * validation set (512 sequences, 128 per source, in source order) is fixed by the seed. Batch labels are the
 * source id of every position (for MI(source; expert)).
 */
public final class MixLm4 {
    public static final int TOKENS = 32, BOS = 32, VOCAB = 33, LENGTH = 32, SOURCES = 4;
    public static final List<String> SOURCE_NAMES = List.of("counter", "markov", "copy", "dyck");
    public static final int VALIDATION_SEQUENCES = 512;

    private final long seed;
    private final int[][] successors = new int[16][3];
    private static final double[] SUCCESSOR_P = {0.6, 0.3, 0.1};

    public MixLm4(long seed) {
        this.seed = seed;
        Rng table = new Rng(seed).fork("markov-table");
        for (int s = 0; s < 16; s++) {
            // Three distinct successors per state among the 16 Markov tokens.
            int[] pick = new int[3];
            for (int j = 0; j < 3; j++) {
                int c;
                do {
                    c = table.nextInt(16);
                } while (contains(pick, j, c));
                pick[j] = c;
            }
            for (int j = 0; j < 3; j++) successors[s][j] = 8 + pick[j];
        }
    }

    public int vocabSize() {
        return VOCAB;
    }

    public int length() {
        return LENGTH;
    }

    /** Training batch of {@code rows} sequences for a step: sources uniform per row, reproducible from (seed, step). */
    public Batch trainingBatch(long step, int rows) {
        Rng rng = new Rng(seed).fork("train-" + step);
        int[] sources = new int[rows];
        for (int r = 0; r < rows; r++) sources[r] = rng.nextInt(SOURCES);
        return batch(sources, rng);
    }

    /** The fixed balanced validation set (512 sequences), in batches of {@code rows} sequences. */
    public List<Batch> validation(int rows) {
        return validation(rows, VALIDATION_SEQUENCES);
    }

    /** A fixed balanced validation set of {@code sequences} (a multiple of 4; quick runs use fewer). */
    public List<Batch> validation(int rows, int sequences) {
        if (rows < 1) throw new IllegalArgumentException("MixLm4: validation batch rows must be >= 1, got " + rows);
        if (sequences < SOURCES || sequences % SOURCES != 0) throw new IllegalArgumentException("MixLm4: validation sequences must be a positive multiple of 4, got " + sequences);
        Rng rng = new Rng(seed).fork("validation");
        int[] all = new int[sequences];
        for (int i = 0; i < all.length; i++) all[i] = i * SOURCES / sequences;
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < all.length; start += rows) {
            out.add(batch(java.util.Arrays.copyOfRange(all, start, Math.min(all.length, start + rows)), rng));
        }
        return out;
    }

    /** One sequence of {@link #LENGTH} tokens (without BOS) from a source. */
    public int[] sequence(int source, Rng rng) {
        int[] x = new int[LENGTH];
        switch (source) {
            case 0 -> {
                int k = 1 + rng.nextInt(3);
                x[0] = rng.nextInt(16);
                for (int t = 1; t < LENGTH; t++) x[t] = (x[t - 1] + k) % 16;
            }
            case 1 -> {
                x[0] = 8 + rng.nextInt(16);
                for (int t = 1; t < LENGTH; t++) {
                    double u = rng.nextDouble();
                    int j = u < SUCCESSOR_P[0] ? 0 : u < SUCCESSOR_P[0] + SUCCESSOR_P[1] ? 1 : 2;
                    x[t] = successors[x[t - 1] - 8][j];
                }
            }
            case 2 -> {
                for (int t = 0; t < 8; t++) x[t] = 16 + rng.nextInt(16);
                for (int t = 8; t < LENGTH; t++) x[t] = x[t - 8];
            }
            case 3 -> dyck(x, rng);
            default -> throw new IllegalArgumentException("MixLm4: source must be in [0, 4), got " + source);
        }
        return x;
    }

    /** Random balanced bracket string: open while there is room to close everything, close when forced. */
    private static void dyck(int[] x, Rng rng) {
        int[] stack = new int[LENGTH];
        int depth = 0;
        for (int t = 0; t < LENGTH; t++) {
            int remaining = LENGTH - t;
            boolean open = depth == 0 || (remaining > depth && rng.nextDouble() < 0.5);
            if (open) {
                int kind = rng.nextInt(4);
                stack[depth++] = kind;
                x[t] = 24 + kind;
            } else {
                x[t] = 28 + stack[--depth];
            }
        }
    }

    private Batch batch(int[] sources, Rng rng) {
        int rows = sources.length;
        int[] inputs = new int[rows * LENGTH], targets = new int[rows * LENGTH], labels = new int[rows * LENGTH], starts = new int[rows];
        for (int r = 0; r < rows; r++) {
            int[] x = sequence(sources[r], rng);
            for (int t = 0; t < LENGTH; t++) {
                inputs[r * LENGTH + t] = t == 0 ? BOS : x[t - 1];
                targets[r * LENGTH + t] = x[t];
                labels[r * LENGTH + t] = sources[r];
            }
        }
        return new Batch(rows, LENGTH, inputs, targets, labels, starts);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }
}
