package org.moelab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;

/**
 * Small conflicting sequence-to-sequence tasks over the same digit inputs (LoRA-Mixer's CPU-scale plan,
 * papers/evomoe-loramixer-promoe.md §2.4): each example is {@code BOS cue x₁..xₙ SEP y₁..yₘ EOS}, padded with PAD, and
 * a next-token model is scored on y only: the target at position i is token i+1 when that token is an answer token,
 * {@link Losses#IGNORE_INDEX} everywhere else (prompt, EOS, padding).
 *
 * <p>Tasks on digits d ∈ [0, 10): COPY (the base model's generic pre-training task), REV (reverse), SORT
 * (ascending), INC ((d+1) mod 10 each), CIPHER (a fixed digit→letter permutation), DEDUP (keep the first
 * occurrence of each digit, in order), SUM (Σd mod 10, one token). A single low-rank adapter must compromise
 * between them, which is what routed experts avoid.
 *
 * <p>Cue-less variant ({@code cues(false)}): no cue token; the task is then readable only from the input length,
 * task i of the configured list using exactly {@code minDigits + i} digits (so the length range must cover the
 * tasks). The task label of every row (its index in the configured list, i.e. its oracle expert) is returned.
 */
public final class SeqTasks {
    public static final int PAD = 0, BOS = 1, SEP = 2, EOS = 3, FIRST_DIGIT = 4, FIRST_LETTER = 14, FIRST_CUE = 24;
    /** PAD, BOS, SEP, EOS, ten digits, ten letters and one cue per {@link Task}. */
    public static final int VOCAB = FIRST_CUE + Task.values().length;

    /** digit → letter index of CIPHER: a fixed permutation of 0..9. */
    private static final int[] CIPHER_KEY = {7, 2, 9, 0, 5, 1, 8, 3, 6, 4};

    /** The tasks; each maps an input digit list to its answer tokens. */
    public enum Task {
        COPY, REV, SORT, INC, CIPHER, DEDUP, SUM;

        /** The answer tokens for input digits d (values 0..9). */
        public int[] answer(int[] d) {
            int n = d.length;
            int[] out = new int[n];
            switch (this) {
                case COPY -> { for (int i = 0; i < n; i++) out[i] = digit(d[i]); }
                case REV -> { for (int i = 0; i < n; i++) out[i] = digit(d[n - 1 - i]); }
                case SORT -> {
                    int[] s = d.clone();
                    Arrays.sort(s);
                    for (int i = 0; i < n; i++) out[i] = digit(s[i]);
                }
                case INC -> { for (int i = 0; i < n; i++) out[i] = digit((d[i] + 1) % 10); }
                case CIPHER -> { for (int i = 0; i < n; i++) out[i] = FIRST_LETTER + CIPHER_KEY[d[i]]; }
                case DEDUP -> {
                    boolean[] seen = new boolean[10];
                    int m = 0;
                    for (int v : d) if (!seen[v]) { seen[v] = true; out[m++] = digit(v); }
                    return Arrays.copyOf(out, m);
                }
                case SUM -> {
                    int s = 0;
                    for (int v : d) s += v;
                    return new int[] {digit(s % 10)};
                }
            }
            return out;
        }

        /** The longest answer for n input digits. */
        int maxAnswerLength(int n) {
            return this == SUM ? 1 : n;
        }

        public int cueToken() {
            return FIRST_CUE + ordinal();
        }
    }

    /**
     * Generated examples, row-major [rows, length]. {@code tasks[r]} is row r's index into {@link #tasks()};
     * {@code answerStart[r]} is the position of SEP (whose target is y₁) and {@code answerLength[r]} is m, so the
     * labelled positions of row r are answerStart[r] .. answerStart[r] + m − 1.
     */
    public record Batch(int rows, int length, int[] inputs, int[] targets, int[] tasks, int[] answerStart, int[] answerLength) {
        public int input(int row, int t) {
            return inputs[row * length + t];
        }

        public int target(int row, int t) {
            return targets[row * length + t];
        }

        /** Row r's labelled target tokens (its answer y₁..yₘ). */
        public int[] answer(int row) {
            return Arrays.copyOfRange(targets, row * length + answerStart[row], row * length + answerStart[row] + answerLength[row]);
        }

        /** The given rows, in that order (e.g. a mini-batch drawn from a fixed pool). */
        public Batch select(int[] rowIndices) {
            int n = rowIndices.length;
            int[] in = new int[n * length], tg = new int[n * length], tk = new int[n], st = new int[n], al = new int[n];
            for (int i = 0; i < n; i++) {
                int r = rowIndices[i];
                if (r < 0 || r >= rows) throw new IllegalArgumentException("SeqTasks.Batch.select: row " + r + " is outside [0, " + rows + ")");
                System.arraycopy(inputs, r * length, in, i * length, length);
                System.arraycopy(targets, r * length, tg, i * length, length);
                tk[i] = tasks[r];
                st[i] = answerStart[r];
                al[i] = answerLength[r];
            }
            return new Batch(n, length, in, tg, tk, st, al);
        }

        /** Whether each position holds a real token (not padding). */
        public boolean[] nonPadding() {
            boolean[] out = new boolean[inputs.length];
            for (int i = 0; i < inputs.length; i++) out[i] = inputs[i] != PAD;
            return out;
        }

        /** The task label of every position (the row's task), e.g. for oracle routing of all tokens. */
        public int[] taskPerPosition() {
            int[] out = new int[rows * length];
            for (int r = 0; r < rows; r++) Arrays.fill(out, r * length, (r + 1) * length, tasks[r]);
            return out;
        }
    }

    private final List<Task> tasks;
    private final int minDigits, maxDigits;
    private final boolean cues;
    private final int length;

    private SeqTasks(Builder b) {
        if (b.tasks.isEmpty()) throw new IllegalArgumentException("SeqTasks: tasks must not be empty; call tasks(Task.REV, ...)");
        for (int i = 0; i < b.tasks.size(); i++) {
            if (b.tasks.get(i) == null) throw new IllegalArgumentException("SeqTasks: tasks[" + i + "] is null");
            if (b.tasks.indexOf(b.tasks.get(i)) != i) throw new IllegalArgumentException("SeqTasks: task " + b.tasks.get(i) + " is listed twice in " + b.tasks);
        }
        if (b.minDigits < 1) throw new IllegalArgumentException("SeqTasks: minDigits must be >= 1, got " + b.minDigits);
        if (b.maxDigits < b.minDigits) throw new IllegalArgumentException("SeqTasks: maxDigits (" + b.maxDigits + ") must be >= minDigits (" + b.minDigits + ")");
        if (!b.cues && b.maxDigits - b.minDigits + 1 < b.tasks.size()) {
            throw new IllegalArgumentException("SeqTasks: without cues each of the " + b.tasks.size() + " tasks needs its own input length, but digits "
                    + b.minDigits + ".." + b.maxDigits + " give only " + (b.maxDigits - b.minDigits + 1) + "; widen the range or use cues(true)");
        }
        this.tasks = List.copyOf(b.tasks);
        this.minDigits = b.minDigits;
        this.maxDigits = b.maxDigits;
        this.cues = b.cues;
        int longestAnswer = 0;
        for (Task t : tasks) longestAnswer = Math.max(longestAnswer, t.maxAnswerLength(maxDigits));
        // BOS [cue] x SEP y EOS
        this.length = 1 + (cues ? 1 : 0) + maxDigits + 1 + longestAnswer + 1;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: REV, SORT, INC, CIPHER; 5 to 8 digits; with cues. */
    public static final class Builder {
        private List<Task> tasks = List.of(Task.REV, Task.SORT, Task.INC, Task.CIPHER);
        private int minDigits = 5, maxDigits = 8;
        private boolean cues = true;

        public Builder tasks(Task... tasks) {
            if (tasks == null) throw new IllegalArgumentException("SeqTasks: tasks must not be null");
            this.tasks = new ArrayList<>(Arrays.asList(tasks));
            return this;
        }

        public Builder digits(int min, int max) {
            this.minDigits = min;
            this.maxDigits = max;
            return this;
        }

        /** With cues (default) the task token follows BOS; without, tasks differ only in input length. */
        public Builder cues(boolean on) {
            this.cues = on;
            return this;
        }

        public SeqTasks build() {
            return new SeqTasks(this);
        }
    }

    /** {@code rows} examples, each of a task drawn uniformly from {@link #tasks()}. */
    public Batch generate(int rows, Rng rng) {
        if (rows < 0) throw new IllegalArgumentException("SeqTasks: rows must be >= 0, got " + rows);
        if (rng == null) throw new IllegalArgumentException("SeqTasks: rng must not be null");
        int[] task = new int[rows];
        for (int r = 0; r < rows; r++) task[r] = rng.nextInt(tasks.size());
        return generate(task, rng);
    }

    /** One example per entry of {@code taskPerRow} (indices into {@link #tasks()}), e.g. a single task's data set. */
    public Batch generate(int[] taskPerRow, Rng rng) {
        if (taskPerRow == null) throw new IllegalArgumentException("SeqTasks: taskPerRow must not be null");
        if (rng == null) throw new IllegalArgumentException("SeqTasks: rng must not be null");
        int rows = taskPerRow.length;
        int[] inputs = new int[rows * length], targets = new int[rows * length], start = new int[rows], answerLength = new int[rows];
        Arrays.fill(targets, Losses.IGNORE_INDEX);
        for (int r = 0; r < rows; r++) {
            int t = taskPerRow[r];
            if (t < 0 || t >= tasks.size()) throw new IllegalArgumentException("SeqTasks: task index " + t + " at row " + r + " must be in [0, " + tasks.size() + ") for tasks " + tasks);
            int n = cues ? minDigits + rng.nextInt(maxDigits - minDigits + 1) : minDigits + t;
            int[] digits = new int[n];
            for (int i = 0; i < n; i++) digits[i] = rng.nextInt(10);
            int[] y = tasks.get(t).answer(digits);
            int[] seq = new int[length];   // PAD = 0 fills the tail
            int p = 0;
            seq[p++] = BOS;
            if (cues) seq[p++] = tasks.get(t).cueToken();
            for (int d : digits) seq[p++] = digit(d);
            start[r] = p;
            seq[p++] = SEP;
            for (int v : y) seq[p++] = v;
            seq[p] = EOS;
            answerLength[r] = y.length;
            System.arraycopy(seq, 0, inputs, r * length, length);
            // next-token targets on y only: position i predicts seq[i + 1]
            for (int i = 0; i < y.length; i++) targets[r * length + start[r] + i] = y[i];
        }
        return new Batch(rows, length, inputs, targets, taskPerRow.clone(), start, answerLength);
    }

    /** A row's tokens as text, e.g. {@code <bos> <REV> 3 1 4 <sep> 4 1 3 <eos>} (padding left out). */
    public static String decode(int[] tokens) {
        StringBuilder s = new StringBuilder();
        for (int tok : tokens) {
            if (tok == PAD) continue;
            if (s.length() > 0) s.append(' ');
            s.append(tokenName(tok));
        }
        return s.toString();
    }

    public static String tokenName(int token) {
        if (token == BOS) return "<bos>";
        if (token == SEP) return "<sep>";
        if (token == EOS) return "<eos>";
        if (token == PAD) return "<pad>";
        if (token >= FIRST_DIGIT && token < FIRST_LETTER) return Integer.toString(token - FIRST_DIGIT);
        if (token >= FIRST_LETTER && token < FIRST_CUE) return Character.toString((char) ('a' + token - FIRST_LETTER));
        if (token >= FIRST_CUE && token < VOCAB) return "<" + Task.values()[token - FIRST_CUE] + ">";
        throw new IllegalArgumentException("SeqTasks: token " + token + " is outside the vocabulary [0, " + VOCAB + ")");
    }

    private static int digit(int d) {
        return FIRST_DIGIT + d;
    }

    public List<Task> tasks() {
        return tasks;
    }

    /** Tokens per row (the longest example; shorter ones are PAD-filled). */
    public int length() {
        return length;
    }

    public boolean cues() {
        return cues;
    }

    public int minDigits() {
        return minDigits;
    }

    public int maxDigits() {
        return maxDigits;
    }
}
