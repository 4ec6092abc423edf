package org.moelab.experiments;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.nn.DeltaRule;
import org.moelab.tensor.Rng;
import org.moelab.viz.Better;
import org.moelab.viz.HeatMaps;
import org.moelab.viz.Sweeps;

/**
 * The intuition behind MoM without any training: write P random (key, value) pairs into d_k × d_v matrix
 * memories with the delta rule (β = 1, no decay) or plain linear attention, then read every key back. One memory
 * holds about d_k pairs before reads start to mix values (interference); M memories that each receive a quarter of
 * the pairs hold M times more. Keys are random unit vectors; a read counts as correct when the value it returns is
 * closer (cosine) to the true value than to any other stored value.
 */
public final class MemoryInterference {
    private MemoryInterference() {}

    /** Read-out similarity [pair][value] (cosine of the value read for key i with stored value j). */
    public static double[][] crosstalk(int dk, int dv, int pairs, int memories, boolean delta, long seed) {
        Rng rng = new Rng(seed);
        float[][] keys = new float[pairs][], values = new float[pairs][];
        for (int i = 0; i < pairs; i++) {
            keys[i] = unit(rng, dk);
            values[i] = unit(rng, dv);
        }
        float[][] states = new float[memories][dk * dv];
        float[] one = {1f};
        // write: pair i goes to memory i mod M (an oracle router; the learned one is what the experiment tests)
        for (int i = 0; i < pairs; i++) DeltaRule.step(states[i % memories], keys[i], keys[i], values[i], delta ? one : null, null, DeltaRule.FeatureMap.IDENTITY, 1);
        double[][] sim = new double[pairs][pairs];
        for (int i = 0; i < pairs; i++) {
            float[] s = states[i % memories], read = new float[dv];
            for (int a = 0; a < dk; a++) for (int b = 0; b < dv; b++) read[b] += s[a * dv + b] * keys[i][a];
            for (int j = 0; j < pairs; j++) sim[i][j] = cosine(read, values[j]);
        }
        return sim;
    }

    /** Fraction of keys whose read-out is most similar to their own value. */
    public static double recall(double[][] crosstalk) {
        int ok = 0;
        for (int i = 0; i < crosstalk.length; i++) {
            int best = 0;
            for (int j = 1; j < crosstalk[i].length; j++) if (crosstalk[i][j] > crosstalk[i][best]) best = j;
            if (best == i) ok++;
        }
        return (double) ok / crosstalk.length;
    }

    /** Recall against P for one linear-attention memory, one delta-rule memory and M delta-rule memories (mean over seeds). */
    public static Chart<?, ?> recallChart(int dk, int[] pairs, int memories, int seeds) {
        List<Integer> ps = new ArrayList<>();
        for (int p : pairs) ps.add(p);
        Sweeps.Builder b = Sweeps.builder("Reading back P pairs from d_k = " + dk + " matrix memories (no training)").parameter("pairs P", ps).yTitle("recall", Better.HIGHER);
        b.add("linear attention, 1 memory", curve(dk, pairs, 1, false, seeds));
        b.add("delta rule, 1 memory", curve(dk, pairs, 1, true, seeds));
        b.add("delta rule, " + memories + " memories (P/" + memories + " each)", curve(dk, pairs, memories, true, seeds));
        return b.build();
    }

    private static double[] curve(int dk, int[] pairs, int memories, boolean delta, int seeds) {
        double[] out = new double[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            for (int s = 0; s < seeds; s++) out[i] += recall(crosstalk(dk, dk, pairs[i], memories, delta, 100 + s)) / seeds;
        }
        return out;
    }

    /** The crosstalk matrix as a heat map: a clean diagonal is perfect recall, off-diagonal mass is interference. */
    public static Chart<?, ?> crosstalkHeatMap(String title, double[][] crosstalk) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < crosstalk.length; i++) labels.add("" + i);
        return HeatMaps.builder(title, crosstalk).rowLabels(labels).columnLabels(labels).rowTitle("key read").columnTitle("stored value")
                .diverging().range(-1, 1).annotate(false).build();
    }

    private static float[] unit(Rng rng, int d) {
        float[] v = new float[d];
        double n = 0;
        for (int i = 0; i < d; i++) {
            v[i] = (float) rng.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < d; i++) v[i] /= (float) Math.sqrt(n);
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
