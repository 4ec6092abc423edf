package org.moelab.data;

/**
 * Shape of a generated corpus: {@code topics} character Markov sources of the same {@code order} over a shared
 * {@code alphabet}. Each row of each transition table is a Dirichlet({@code concentration}) draw: a small
 * concentration makes rows peaked (low entropy, "wordy" text), a large one makes them near uniform.
 * Documents of length uniform in [meanDocumentLength/2, 3·meanDocumentLength/2] follow one another, each with a
 * uniformly drawn topic.
 */
public record MarkovMixtureSpec(int topics, int order, String alphabet, double concentration, int meanDocumentLength) {
    public static final String DEFAULT_ALPHABET = "abcdefghijklmnopqrstuvwxyz ";

    public MarkovMixtureSpec {
        if (topics < 1 || topics > 256) throw new IllegalArgumentException("topics must be in [1, 256], got " + topics);
        if (order < 1 || order > 4) throw new IllegalArgumentException("order must be in [1, 4], got " + order);
        if (alphabet == null || alphabet.length() < 2) {
            throw new IllegalArgumentException("alphabet must have at least 2 distinct characters");
        }
        Vocabulary.ofAlphabet(alphabet); // rejects repeated characters
        if (StrictMath.pow(alphabet.length(), order) * topics * alphabet.length() > 50_000_000) {
            throw new IllegalArgumentException("alphabet size " + alphabet.length() + " ^ order " + order + " x "
                    + topics + " topics makes transition tables too large (limit 5e7 entries)");
        }
        if (!(concentration > 0) || Double.isInfinite(concentration)) {
            throw new IllegalArgumentException("concentration must be a positive finite number, got " + concentration);
        }
        if (meanDocumentLength < 2) {
            throw new IllegalArgumentException("meanDocumentLength must be >= 2, got " + meanDocumentLength);
        }
    }

    /**
     * Order 2 over lowercase letters and space, concentration 0.1 (about 2.3 bits/char given the topic, well above
     * what a model that ignores the topic can reach), documents of about 512 chars (a 64-char window sees a
     * topic switch in roughly one window of eight).
     */
    public static MarkovMixtureSpec defaults(int topics) {
        return new MarkovMixtureSpec(topics, 2, DEFAULT_ALPHABET, 0.1, 512);
    }

    public MarkovMixtureSpec withOrder(int newOrder) {
        return new MarkovMixtureSpec(topics, newOrder, alphabet, concentration, meanDocumentLength);
    }

    public MarkovMixtureSpec withConcentration(double newConcentration) {
        return new MarkovMixtureSpec(topics, order, alphabet, newConcentration, meanDocumentLength);
    }

    public MarkovMixtureSpec withMeanDocumentLength(int newLength) {
        return new MarkovMixtureSpec(topics, order, alphabet, concentration, newLength);
    }
}
