package org.moelab.moe;

/**
 * Routing diagnostics, written once for every paper: load per expert, load entropy, coefficient of variation,
 * mutual information between a label and the chosen expert, Jensen-Shannon divergence between two groups'
 * expert histograms, and the flip rate between two checkpoints' routings. Information quantities are in bits.
 */
public final class RoutingMetrics {
    private RoutingMetrics() {}

    /** Shannon entropy (bits) of the load distribution; log2(E) is perfect balance, 0 is collapse. */
    public static double loadEntropy(int[] countsPerExpert) {
        return entropy(normalise(countsPerExpert));
    }

    /** Load entropy divided by log2(E): 1 = perfectly balanced. */
    public static double normalisedLoadEntropy(int[] countsPerExpert) {
        return countsPerExpert.length <= 1 ? 1 : loadEntropy(countsPerExpert) / log2(countsPerExpert.length);
    }

    /** Standard deviation over mean of the per-expert load; 0 = perfectly balanced. */
    public static double coefficientOfVariation(int[] countsPerExpert) {
        double mean = 0;
        for (int c : countsPerExpert) mean += c;
        mean /= countsPerExpert.length;
        if (mean == 0) return 0;
        double var = 0;
        for (int c : countsPerExpert) var += (c - mean) * (c - mean);
        return Math.sqrt(var / countsPerExpert.length) / mean;
    }

    /**
     * I(label; expert) in bits from paired observations; entries with label or expert -1 are skipped.
     */
    public static double mutualInformation(int[] labels, int[] experts, int numLabels, int numExperts) {
        if (labels.length != experts.length) throw new IllegalArgumentException("mutualInformation: " + labels.length + " labels but " + experts.length + " experts");
        double[][] joint = new double[numLabels][numExperts];
        double n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || experts[i] < 0) continue;
            if (labels[i] >= numLabels || experts[i] >= numExperts) throw new IllegalArgumentException("mutualInformation: label " + labels[i] + " or expert " + experts[i] + " out of range");
            joint[labels[i]][experts[i]]++;
            n++;
        }
        if (n == 0) return 0;
        double[] pl = new double[numLabels], pe = new double[numExperts];
        for (int l = 0; l < numLabels; l++) for (int e = 0; e < numExperts; e++) {
            joint[l][e] /= n;
            pl[l] += joint[l][e];
            pe[e] += joint[l][e];
        }
        double mi = 0;
        for (int l = 0; l < numLabels; l++) for (int e = 0; e < numExperts; e++) {
            if (joint[l][e] > 0) mi += joint[l][e] * log2(joint[l][e] / (pl[l] * pe[e]));
        }
        return Math.max(0, mi);
    }

    /** Expert histogram (probabilities) of the tokens whose label is in {@code group}. */
    public static double[] expertHistogram(int[] labels, int[] experts, int numExperts, java.util.Set<Integer> group) {
        int[] counts = new int[numExperts];
        for (int i = 0; i < labels.length; i++) if (experts[i] >= 0 && group.contains(labels[i])) counts[experts[i]]++;
        return normalise(counts);
    }

    /** Jensen-Shannon divergence (bits, in [0, 1]) between two distributions over the same experts. */
    public static double jsDivergence(double[] p, double[] q) {
        if (p.length != q.length) throw new IllegalArgumentException("jsDivergence: distributions over " + p.length + " and " + q.length + " experts");
        double[] m = new double[p.length];
        for (int i = 0; i < p.length; i++) m[i] = (p[i] + q[i]) / 2;
        return Math.max(0, entropy(m) - (entropy(p) + entropy(q)) / 2);
    }

    /** Share of tokens whose primary expert differs between two routings of the same tokens. */
    public static double flipRate(int[] before, int[] after) {
        if (before.length != after.length) throw new IllegalArgumentException("flipRate: routings of " + before.length + " and " + after.length + " tokens");
        if (before.length == 0) return 0;
        int flips = 0;
        for (int i = 0; i < before.length; i++) if (before[i] != after[i]) flips++;
        return (double) flips / before.length;
    }

    static double[] normalise(int[] counts) {
        double total = 0;
        for (int c : counts) total += c;
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) p[i] = total == 0 ? 0 : counts[i] / total;
        return p;
    }

    static double entropy(double[] p) {
        double h = 0;
        for (double v : p) if (v > 0) h -= v * log2(v);
        return h;
    }

    private static double log2(double x) {
        return StrictMath.log(x) / StrictMath.log(2);
    }
}
