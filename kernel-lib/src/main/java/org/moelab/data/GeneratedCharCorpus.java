package org.moelab.data;

import org.moelab.tensor.Rng;

/**
 * A corpus drawn from a known mixture of character Markov sources ("topics"), so the best achievable loss is
 * computable: {@link #entropyFloorBitsPerChar()} is what the generating process itself scores. A model must also
 * infer the current topic from its context window, so it can approach but not beat that floor. Each position's
 * topic is its label ({@link #topicAt}, {@link Batch#labels()}), for routing metrics: do experts specialise by topic?
 */
public final class GeneratedCharCorpus extends CharCorpus {
    private final MarkovTopicMixture mixture;
    private final MarkovTopicMixture.Sample sample;

    private GeneratedCharCorpus(MarkovTopicMixture mixture, MarkovTopicMixture.Sample sample, TrainValidationSplit split) {
        super("generated-" + mixture.spec.topics() + "-topics", Vocabulary.ofAlphabet(mixture.spec.alphabet()),
                sample.ids(), sample.topics(), mixture.spec.topics(), split);
        this.mixture = mixture;
        this.sample = sample;
    }

    static GeneratedCharCorpus create(Rng rng, int chars, MarkovMixtureSpec spec) {
        if (chars < 1000 || chars > 100_000_000) {
            throw new IllegalArgumentException("chars must be in [1000, 100000000], got " + chars);
        }
        // Separate streams: changing the corpus length must not change the topics' transition tables.
        MarkovTopicMixture mixture = new MarkovTopicMixture(spec, rng.fork("markov-tables"));
        MarkovTopicMixture.Sample sample = mixture.sample(rng.fork("markov-sample"), chars);
        return new GeneratedCharCorpus(mixture, sample, defaultSplit(chars));
    }

    @Override
    public GeneratedCharCorpus withSplit(double validationFraction, int blocks) {
        return new GeneratedCharCorpus(mixture, sample, TrainValidationSplit.of(length(), validationFraction, blocks));
    }

    public MarkovMixtureSpec spec() {
        return mixture.spec;
    }

    public int topics() {
        return mixture.spec.topics();
    }

    public int topicAt(int position) {
        return labelAt(position);
    }

    /** Mean over the whole corpus of H(next char | its topic, its previous {@code order} chars), in bits: the
     * expected loss of the generating process on exactly this text. */
    public double entropyFloorBitsPerChar() {
        return mixture.realisedEntropyBits(sample, 0, length());
    }

    /** The same floor over the validation spans only: the number to put next to a model's validation BPC. */
    public double validationEntropyFloorBitsPerChar() {
        double total = 0;
        long count = 0;
        for (Span span : split().validation()) {
            int from = Math.max(span.start() + 1, mixture.spec.order()); // a span's first char is never a target
            if (from >= span.end()) continue;
            total += mixture.realisedEntropyBits(sample, from, span.end()) * (span.end() - from);
            count += span.end() - from;
        }
        return total / count;
    }

    /** Entropy rate of one topic's Markov chain in its stationary regime, in bits per char. */
    public double topicEntropyRateBits(int topic) {
        checkTopic(topic);
        return mixture.entropyRateBits(topic);
    }

    /** H(next | topic, context) in bits for one topic and the given {@code order}-character context. */
    public double conditionalEntropyBits(int topic, String context) {
        checkTopic(topic);
        if (context.length() != mixture.spec.order()) {
            throw new IllegalArgumentException("context must have exactly " + mixture.spec.order() + " chars, got \""
                    + context + "\"");
        }
        return mixture.rowEntropyBits[topic][mixture.contextBefore(vocabulary().encode(context), context.length())];
    }

    private void checkTopic(int topic) {
        if (topic < 0 || topic >= topics()) {
            throw new IllegalArgumentException("topic must be in [0, " + (topics() - 1) + "], got " + topic);
        }
    }

    @Override
    public String toString() {
        return String.format("GeneratedCharCorpus(%d chars, %d topics, order %d, vocab %d, floor %.3f bits/char, %s)",
                length(), topics(), mixture.spec.order(), vocabSize(), entropyFloorBitsPerChar(), split());
    }
}
