package org.moelab.data;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.moelab.tensor.Rng;

/**
 * A character-level language-modelling corpus: the text as vocabulary ids, a deterministic train/validation split
 * by contiguous blocks (90/10 over 10 blocks unless {@link #withSplit} says otherwise), random training batches and
 * a fixed list of validation batches. Labels per position (the topic of a generated corpus) ride along in each
 * {@link Batch} when the corpus knows them, for routing metrics.
 *
 * <pre>{@code
 * CharCorpus corpus = CharCorpus.shipped("tinytext");          // Pride and Prejudice, 0.68 MB
 * Iterator<Batch> train = corpus.batches(new Rng(7).fork("data"), 32, 64);
 * Batch b = train.next();                                      // b.inputs(), b.targets(): int[32 * 64]
 * Batch atStep = corpus.trainingBatch(new Rng(7), 1200, 32, 64); // same batch whenever step 1200 is asked for
 * List<Batch> valid = corpus.validationBatches(32, 64);        // the same list every call
 * double bpc = CharCorpus.bitsPerChar(meanCrossEntropyNats);
 * }</pre>
 */
public class CharCorpus {
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    public static final int DEFAULT_SPLIT_BLOCKS = 10;
    private static final double LN2 = StrictMath.log(2);

    private final String name;
    private final Vocabulary vocabulary;
    private final int[] ids;
    private final int[] labels;
    private final int labelCount;
    private final TrainValidationSplit split;

    CharCorpus(String name, Vocabulary vocabulary, int[] ids, int[] labels, int labelCount, TrainValidationSplit split) {
        this.name = name;
        this.vocabulary = vocabulary;
        this.ids = ids;
        this.labels = labels;
        this.labelCount = labelCount;
        this.split = split;
    }

    /** {@code data/<name>.txt} shipped with MoE Lab (see data/README.md); {@link #shippedNames()} lists them. */
    public static CharCorpus shipped(String name) {
        return fromText(name, ShippedFiles.read(name));
    }

    /** Names accepted by {@link #shipped(String)}. */
    public static List<String> shippedNames() {
        return ShippedFiles.available();
    }

    /** Any UTF-8 text file, used as is; the vocabulary is its distinct characters. */
    public static CharCorpus fromFile(Path path) {
        Objects.requireNonNull(path, "path");
        String fileName = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        return fromText(fileName.replaceFirst("\\.txt$", ""), TextFiles.read(path));
    }

    public static CharCorpus fromText(String name, String text) {
        if (text.length() < 40) {
            throw new IllegalArgumentException("corpus \"" + name + "\" has " + text.length()
                    + " chars; at least 40 are needed to split it into train and validation");
        }
        Vocabulary vocabulary = Vocabulary.of(text);
        return new CharCorpus(name, vocabulary, vocabulary.encode(text), null, 0, defaultSplit(text.length()));
    }

    /** A seeded mixture of {@code topics} order-2 character Markov sources; see {@link MarkovMixtureSpec#defaults}. */
    public static GeneratedCharCorpus generated(Rng rng, int chars, int topics) {
        return generated(rng, chars, MarkovMixtureSpec.defaults(topics));
    }

    public static GeneratedCharCorpus generated(Rng rng, int chars, MarkovMixtureSpec spec) {
        return GeneratedCharCorpus.create(rng, chars, spec);
    }

    static TrainValidationSplit defaultSplit(int length) {
        return TrainValidationSplit.of(length, DEFAULT_VALIDATION_FRACTION, Math.min(DEFAULT_SPLIT_BLOCKS, length / 4));
    }

    /** The same text with another split: {@code validationFraction} of each of {@code blocks} equal blocks. */
    public CharCorpus withSplit(double validationFraction, int blocks) {
        return new CharCorpus(name, vocabulary, ids, labels, labelCount,
                TrainValidationSplit.of(ids.length, validationFraction, blocks));
    }

    /** Training windows drawn uniformly at random, forever ({@code hasNext()} is always true). The same
     * {@code rng} state gives the same batches. Windows never cross into validation text. */
    public Iterator<Batch> batches(Rng rng, int batchSize, int context) {
        Objects.requireNonNull(rng, "rng");
        return trainingWindows(batchSize, context).endless(rng);
    }

    /**
     * The training batch for one step, drawn from {@code rng.fork("step-" + step)}: it depends only on the seed of
     * {@code rng} and the step, never on earlier draws, so a run resumed from a checkpoint at step s sees exactly
     * the batches an uninterrupted run would have (see {@code org.moelab.train.BatchSource}). Prefer this over
     * {@link #batches} for training loops that checkpoint.
     */
    public Batch trainingBatch(Rng rng, long step, int batchSize, int context) {
        Objects.requireNonNull(rng, "rng");
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        return trainingWindows(batchSize, context).draw(rng.fork("step-" + step));
    }

    private Windows.RandomWindows trainingWindows(int batchSize, int context) {
        Windows.checkBatchSize(batchSize);
        Windows.checkContext(context, split.train(), "training", false);
        return new Windows.RandomWindows(ids, labels, split.train(), batchSize, context);
    }

    /** Consecutive, non-overlapping windows over every validation span, in corpus order; the last batch may have
     * fewer rows. Each validation character is a target at most once; per span, the first character and a tail
     * shorter than {@code context} are not targets. Deterministic: no randomness involved. */
    public List<Batch> validationBatches(int batchSize, int context) {
        Windows.checkBatchSize(batchSize);
        Windows.checkContext(context, split.validation(), "validation", true);
        return Windows.tiled(ids, labels, split.validation(), batchSize, context);
    }

    /** Cross-entropy in nats per character to bits per character (divide by ln 2). */
    public static double bitsPerChar(double crossEntropyNats) {
        return crossEntropyNats / LN2;
    }

    public String name() {
        return name;
    }

    /** Number of characters. */
    public int length() {
        return ids.length;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int vocabSize() {
        return vocabulary.size();
    }

    public int[] encode(String text) {
        return vocabulary.encode(text);
    }

    public String decode(int[] ids) {
        return vocabulary.decode(ids);
    }

    /** The characters in [from, to). */
    public String text(int from, int to) {
        Objects.checkFromToIndex(from, to, ids.length);
        return vocabulary.decode(ids, from, to);
    }

    public int idAt(int position) {
        return ids[position];
    }

    public TrainValidationSplit split() {
        return split;
    }

    /** Whether each position carries a label (a topic or source id). */
    public boolean hasLabels() {
        return labels != null;
    }

    /** Number of distinct labels; 0 when the corpus has none. */
    public int labelCount() {
        return labelCount;
    }

    public int labelAt(int position) {
        if (labels == null) throw new IllegalStateException("corpus \"" + name + "\" has no labels");
        return labels[position];
    }

    int[] ids() {
        return ids;
    }

    int[] labels() {
        return labels;
    }

    @Override
    public String toString() {
        return "CharCorpus(" + name + ": " + ids.length + " chars, vocab " + vocabulary.size() + ", " + split + ")";
    }
}
