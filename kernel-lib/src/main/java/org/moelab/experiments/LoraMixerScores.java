package org.moelab.experiments;

import java.util.List;
import java.util.function.Function;
import org.moelab.data.SeqTasks;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Tensor;

/**
 * What one arm of the LoRA-Mixer study scores on the held-out test set, per task: exact match of the whole answer
 * and token accuracy (teacher-forced argmax; when every answer token is right, greedy decoding writes the same
 * answer, so exact match is the greedy one). For routed arms also, from the router probabilities p: routing accuracy
 * per layer (answer positions whose argmax expert is their task's expert), the task×expert matrix (mean p at answer
 * positions, averaged over layers; the Fig. 4 analogue) and the expert load (argmax share over every non-padding
 * position and layer; the Fig. 3 analogue).
 *
 * @param routingAccuracy per layer; empty without a router
 * @param taskByExpert    [task][expert]; null without a router
 * @param load            per expert; null without a router
 */
public record LoraMixerScores(double[] exactMatch, double[] tokenAccuracy, double[] routingAccuracy, double[][] taskByExpert, double[] load) {

    /** Logits [rows, time, vocab] plus per-layer router probabilities [rows·time, E] (entries may be null). */
    public record Prediction(Tensor logits, List<Tensor> routerProbabilities) {}

    /** Scores {@code model} on {@code test} in batches of at most 256 rows, without recording gradients. */
    public static LoraMixerScores of(Function<SeqTasks.Batch, Prediction> model, SeqTasks.Batch test, int tasks, int experts) {
        long[] exact = new long[tasks], rows = new long[tasks], tokensRight = new long[tasks], tokens = new long[tasks];
        double[][] mass = new double[tasks][experts];
        long[] massCount = new long[tasks];
        double[] load = new double[experts];
        long loadCount = 0;
        long[] routedRight = null;
        long routedTotal = 0;
        boolean routed = false;
        int length = test.length();
        try (var scope = GradMode.noGrad()) {
            for (int from = 0; from < test.rows(); from += 256) {
                int n = Math.min(256, test.rows() - from);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) idx[i] = from + i;
                SeqTasks.Batch b = test.select(idx);
                Prediction out = model.apply(b);
                Indexing.TopK predicted = Indexing.topK(out.logits().detach(), 1); // argmax per position
                for (int r = 0; r < n; r++) {
                    int task = b.tasks()[r];
                    boolean all = true;
                    for (int i = 0; i < b.answerLength()[r]; i++) {
                        int pos = r * length + b.answerStart()[r] + i;
                        boolean ok = predicted.index(pos, 0) == b.targets()[pos];
                        all &= ok;
                        if (ok) tokensRight[task]++;
                        tokens[task]++;
                    }
                    if (all) exact[task]++;
                    rows[task]++;
                }
                List<Tensor> probabilities = out.routerProbabilities();
                if (routedRight == null) routedRight = new long[probabilities.size()];
                for (int l = 0; l < probabilities.size(); l++) {
                    Tensor p = probabilities.get(l);
                    if (p == null) continue;
                    routed = true;
                    float[] v = p.data();
                    Indexing.TopK top = Indexing.topK(p.detach(), 1);
                    for (int r = 0; r < n; r++) {
                        int task = b.tasks()[r];
                        for (int t = 0; t < length; t++) {
                            int pos = r * length + t;
                            if (b.inputs()[pos] == SeqTasks.PAD) continue;
                            int best = top.index(pos, 0);
                            load[best]++;
                            loadCount++;
                            if (t < b.answerStart()[r] || t >= b.answerStart()[r] + b.answerLength()[r]) continue;
                            if (best == task) routedRight[l]++;
                            if (l == 0) routedTotal++;
                            for (int e = 0; e < experts; e++) mass[task][e] += v[pos * experts + e];
                            massCount[task]++;
                        }
                    }
                }
            }
        }
        double[] em = new double[tasks], acc = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            em[t] = rows[t] == 0 ? Double.NaN : (double) exact[t] / rows[t];
            acc[t] = tokens[t] == 0 ? Double.NaN : (double) tokensRight[t] / tokens[t];
        }
        if (!routed) return new LoraMixerScores(em, acc, new double[0], null, null);
        double[] routingAccuracy = new double[routedRight.length];
        for (int l = 0; l < routingAccuracy.length; l++) routingAccuracy[l] = (double) routedRight[l] / routedTotal;
        for (int t = 0; t < tasks; t++) for (int e = 0; e < experts; e++) mass[t][e] /= Math.max(1, massCount[t]);
        for (int e = 0; e < experts; e++) load[e] /= loadCount;
        return new LoraMixerScores(em, acc, routingAccuracy, mass, load);
    }

    public double macroExactMatch() {
        return mean(exactMatch);
    }

    public double macroTokenAccuracy() {
        return mean(tokenAccuracy);
    }

    /** Mean over layers of the routing accuracy; NaN without a router. */
    public double meanRoutingAccuracy() {
        return routingAccuracy.length == 0 ? Double.NaN : mean(routingAccuracy);
    }

    /** Mean over tasks of the probability mass on the task's own expert (1/E for uniform routing); NaN without a router. */
    public double ownExpertMass() {
        if (taskByExpert == null) return Double.NaN;
        double s = 0;
        for (int t = 0; t < taskByExpert.length; t++) s += taskByExpert[t][t];
        return s / taskByExpert.length;
    }

    /** The largest expert's load share (1/E when balanced); NaN without a router. */
    public double maxLoad() {
        if (load == null) return Double.NaN;
        double m = 0;
        for (double v : load) m = Math.max(m, v);
        return m;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
