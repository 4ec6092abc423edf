package org.moelab.data;

/**
 * One batch of next-character prediction windows, row-major: position {@code t} of row {@code r} is at index
 * {@code r * context + t}. {@code targets[i]} is the character that follows {@code inputs[i]} in the corpus, so
 * within a row the targets are the inputs shifted left by one. {@code labels[i]}, when the corpus knows them
 * (e.g. the topic of a generated corpus), is the label of the <em>target</em> character; it is null otherwise.
 *
 * @param rows    number of windows (the last validation batch may have fewer than asked)
 * @param context characters per window
 * @param starts  corpus position of each row's first input character
 */
public record Batch(int rows, int context, int[] inputs, int[] targets, int[] labels, int[] starts) {
    public boolean hasLabels() {
        return labels != null;
    }

    /** rows * context: the number of predictions this batch asks for. */
    public int positions() {
        return rows * context;
    }

    public int input(int row, int t) {
        return inputs[row * context + t];
    }

    public int target(int row, int t) {
        return targets[row * context + t];
    }
}
