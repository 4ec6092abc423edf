package org.moelab.data;

import org.moelab.tensor.Rng;

/**
 * The generating process of a generated corpus: one order-k transition table per topic. Contexts are the last k
 * symbols read as a base-|alphabet| number, the most recent symbol least significant. Because the tables are
 * known, the exact conditional entropy of every next character given its topic and context is known too.
 */
final class MarkovTopicMixture {
    private static final double LN2 = StrictMath.log(2);

    final MarkovMixtureSpec spec;
    final int symbols;
    final int contexts;
    /** probabilities[topic][context * symbols + next]. */
    final double[][] probabilities;
    /** rowEntropyBits[topic][context]: H(next | topic, context) in bits. */
    final double[][] rowEntropyBits;

    MarkovTopicMixture(MarkovMixtureSpec spec, Rng rng) {
        this.spec = spec;
        this.symbols = spec.alphabet().length();
        this.contexts = (int) StrictMath.pow(symbols, spec.order());
        this.probabilities = new double[spec.topics()][contexts * symbols];
        this.rowEntropyBits = new double[spec.topics()][contexts];
        for (int topic = 0; topic < spec.topics(); topic++) {
            Rng tableRng = rng.fork("topic-" + topic);
            for (int c = 0; c < contexts; c++) {
                dirichletRow(tableRng, probabilities[topic], c * symbols);
                rowEntropyBits[topic][c] = entropyBits(probabilities[topic], c * symbols);
            }
        }
    }

    /** The corpus: symbol ids and the topic of each position. */
    record Sample(int[] ids, int[] topics) {}

    Sample sample(Rng rng, int chars) {
        int[] ids = new int[chars];
        int[] topics = new int[chars];
        int context = 0;
        int topic = rng.nextInt(spec.topics());
        int remainingInDocument = documentLength(rng);
        for (int i = 0; i < chars; i++) {
            if (remainingInDocument-- == 0) {
                topic = rng.nextInt(spec.topics());
                remainingInDocument = documentLength(rng) - 1;
            }
            // The first `order` symbols have no full context yet; they are drawn uniformly.
            int next = i < spec.order() ? rng.nextInt(symbols) : draw(rng, probabilities[topic], context * symbols);
            ids[i] = next;
            topics[i] = topic;
            context = (context * symbols + next) % contexts;
        }
        return new Sample(ids, topics);
    }

    /** Mean of H(next | true topic, true context) over positions [from, to) of a sample: the expected code length
     * of the generating process itself on exactly those characters. */
    double realisedEntropyBits(Sample sample, int from, int to) {
        int order = spec.order();
        double total = 0;
        int counted = 0;
        for (int i = Math.max(from, order); i < to; i++) {
            total += rowEntropyBits[sample.topics()[i]][contextBefore(sample.ids(), i)];
            counted++;
        }
        return counted == 0 ? Double.NaN : total / counted;
    }

    int contextBefore(int[] ids, int position) {
        int context = 0;
        for (int j = position - spec.order(); j < position; j++) context = context * symbols + ids[j];
        return context;
    }

    /** Entropy rate of one topic's chain alone: Σ_context π(context) H(next | context), π stationary. */
    double entropyRateBits(int topic) {
        double[] table = probabilities[topic];
        double[] pi = new double[contexts];
        java.util.Arrays.fill(pi, 1.0 / contexts);
        double[] next = new double[contexts];
        // Lazy power iteration (half stay, half step) has the same fixed point and cannot oscillate.
        for (int iteration = 0; iteration < 5000; iteration++) {
            java.util.Arrays.fill(next, 0);
            for (int c = 0; c < contexts; c++) {
                double mass = pi[c];
                int shifted = (c * symbols) % contexts;
                for (int s = 0; s < symbols; s++) next[shifted + s] += mass * table[c * symbols + s];
            }
            double change = 0;
            for (int c = 0; c < contexts; c++) {
                double updated = 0.5 * pi[c] + 0.5 * next[c];
                change += Math.abs(updated - pi[c]);
                pi[c] = updated;
            }
            if (change < 1e-13) break;
        }
        double rate = 0;
        for (int c = 0; c < contexts; c++) rate += pi[c] * rowEntropyBits[topic][c];
        return rate;
    }

    private int documentLength(Rng rng) {
        int mean = spec.meanDocumentLength();
        return mean / 2 + rng.nextInt(mean + 1); // uniform in [mean/2, mean/2 + mean]
    }

    private int draw(Rng rng, double[] table, int offset) {
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int s = 0; s < symbols - 1; s++) {
            cumulative += table[offset + s];
            if (u < cumulative) return s;
        }
        return symbols - 1;
    }

    private void dirichletRow(Rng rng, double[] table, int offset) {
        double sum = 0;
        for (int s = 0; s < symbols; s++) {
            table[offset + s] = gamma(rng, spec.concentration());
            sum += table[offset + s];
        }
        if (sum == 0) { // every draw underflowed (tiny concentration): the row is a point mass
            table[offset + rng.nextInt(symbols)] = 1;
            return;
        }
        for (int s = 0; s < symbols; s++) table[offset + s] /= sum;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 use the Gamma(shape + 1) · U^(1/shape) boost. */
    private static double gamma(Rng rng, double shape) {
        if (shape < 1) return gamma(rng, shape + 1) * StrictMath.pow(rng.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = rng.nextDouble();
            if (StrictMath.log(u) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) return d * v;
        }
    }

    private double entropyBits(double[] table, int offset) {
        double h = 0;
        for (int s = 0; s < symbols; s++) {
            double p = table[offset + s];
            if (p > 0) h -= p * StrictMath.log(p);
        }
        return h / LN2;
    }
}
