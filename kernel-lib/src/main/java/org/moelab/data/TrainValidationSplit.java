package org.moelab.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic train/validation split by contiguous blocks: the corpus is cut into {@code blocks} equal blocks
 * and the last {@code validationFraction} of each block is validation. Spreading validation over the whole corpus
 * (rather than taking only its tail) keeps it representative when the text drifts, as a novel does from its first
 * chapters to its last, while contiguous pieces keep every validation window free of training text.
 */
public final class TrainValidationSplit {
    private final double validationFraction;
    private final List<Span> train;
    private final List<Span> validation;

    private TrainValidationSplit(double validationFraction, List<Span> train, List<Span> validation) {
        this.validationFraction = validationFraction;
        this.train = List.copyOf(train);
        this.validation = List.copyOf(validation);
    }

    /**
     * @param length             corpus length in characters
     * @param validationFraction share of each block held out, in (0, 1)
     * @param blocks             number of blocks, in [1, length / 4] so each block keeps ≥ 2 train and ≥ 2 validation chars
     */
    public static TrainValidationSplit of(int length, double validationFraction, int blocks) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        int maxBlocks = length / 4;
        if (blocks < 1 || blocks > maxBlocks) {
            throw new IllegalArgumentException("blocks must be in [1, " + maxBlocks + "] for a corpus of " + length
                    + " chars, got " + blocks);
        }
        List<Span> train = new ArrayList<>(blocks);
        List<Span> validation = new ArrayList<>(blocks);
        for (int b = 0; b < blocks; b++) {
            int start = (int) ((long) b * length / blocks);
            int end = (int) ((long) (b + 1) * length / blocks);
            int held = (int) Math.round((end - start) * validationFraction);
            held = Math.max(2, Math.min(end - start - 2, held));
            train.add(new Span(start, end - held));
            validation.add(new Span(end - held, end));
        }
        return new TrainValidationSplit(validationFraction, train, validation);
    }

    public double validationFraction() {
        return validationFraction;
    }

    public int blocks() {
        return train.size();
    }

    /** Training spans in corpus order. */
    public List<Span> train() {
        return train;
    }

    /** Validation spans in corpus order. */
    public List<Span> validation() {
        return validation;
    }

    public int trainLength() {
        return totalLength(train);
    }

    public int validationLength() {
        return totalLength(validation);
    }

    static int totalLength(List<Span> spans) {
        return spans.stream().mapToInt(Span::length).sum();
    }

    static int longest(List<Span> spans) {
        return spans.stream().mapToInt(Span::length).max().orElse(0);
    }

    static int shortest(List<Span> spans) {
        return spans.stream().mapToInt(Span::length).min().orElse(0);
    }

    @Override
    public String toString() {
        return "TrainValidationSplit(" + blocks() + " blocks, train " + trainLength() + ", validation "
                + validationLength() + " chars)";
    }
}
