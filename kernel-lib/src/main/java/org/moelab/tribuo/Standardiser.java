package org.moelab.tribuo;

import java.io.Serializable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.classification.Label;

/**
 * Turns Tribuo examples into dense standardised rows: feature id → column (as
 * {@code DenseVector.createDenseVector(example, featureMap, false)} does: a feature the map does not know is
 * ignored, an absent one is 0, Tribuo's sparse convention), then (x − mean) / std with the training set's
 * statistics. Standardising inside the model lets raw datasets with features on very different scales train with
 * one learning rate, and keeps the scaling with the model so prediction needs no separate transformer.
 */
record Standardiser(float[] mean, float[] std) implements Serializable {

    /** Mean and population standard deviation of every feature over the dataset; constant features get std 1. */
    static Standardiser fit(Dataset<Label> data, ImmutableFeatureMap features) {
        int d = features.size();
        double[] sum = new double[d], sumSq = new double[d];
        float[] row = new float[d];
        for (Example<Label> example : data) {
            raw(example, features, row, 0);
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
                sumSq[j] += (double) row[j] * row[j];
            }
        }
        int n = data.size();
        float[] mean = new float[d], std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            double variance = Math.max(0, sumSq[j] / n - m * m);
            mean[j] = (float) m;
            std[j] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Standardiser(mean, std);
    }

    int numFeatures() {
        return mean.length;
    }

    /** Writes the standardised row of {@code example} into {@code out[offset .. offset + numFeatures)}. */
    void row(Example<Label> example, ImmutableFeatureMap features, float[] out, int offset) {
        raw(example, features, out, offset);
        for (int j = 0; j < mean.length; j++) out[offset + j] = (out[offset + j] - mean[j]) / std[j];
    }

    private static void raw(Example<Label> example, ImmutableFeatureMap features, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + features.size(), 0f);
        for (Feature f : example) {
            int id = features.getID(f.getName());
            if (id >= 0) out[offset + id] = (float) f.getValue();
        }
    }
}
