package org.moelab.experiments;

import java.util.List;
import org.moelab.lab.Preset;

/**
 * Sizes of the SMoE-Dropout self-slimming experiment. {@link #quick()} is what the tests and the notebook run on
 * two cores in a couple of minutes; {@link #full()} is what papers/smoe-dropout.md reports (3 seeds, longer).
 */
public record SmoeDropoutSettings(String corpus, int steps, int batch, int context, int dModel, int layers, int heads,
                                  int experts, int hidden, int kMin, float learningRate, float dropout,
                                  int validationBatches, List<Long> seeds) {

    public static SmoeDropoutSettings quick() {
        return new SmoeDropoutSettings("tinytext", 500, 16, 64, 64, 2, 4, 8, 256, 2, 2e-3f, 0.1f, 24, List.of(1L));
    }

    public static SmoeDropoutSettings full() {
        return new SmoeDropoutSettings("tinytext", 3000, 16, 64, 64, 2, 4, 8, 256, 2, 2e-3f, 0.1f, 120, List.of(1L, 2L, 3L));
    }

    public static SmoeDropoutSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }

    /** k values the self-slimmable curve is evaluated at: 1, 2, 4, ..., N. */
    public int[] evaluationKs() {
        int n = 0;
        for (int k = 1; k <= experts; k *= 2) n++;
        int[] ks = new int[n + (Integer.bitCount(experts) == 1 ? 0 : 1)];
        int i = 0;
        for (int k = 1; k <= experts; k *= 2) ks[i++] = k;
        if (i < ks.length) ks[i] = experts;
        return ks;
    }

    public SmoeDropoutSettings withSteps(int newSteps) {
        return new SmoeDropoutSettings(corpus, newSteps, batch, context, dModel, layers, heads, experts, hidden, kMin, learningRate, dropout, validationBatches, seeds);
    }

    public SmoeDropoutSettings withSeeds(List<Long> newSeeds) {
        return new SmoeDropoutSettings(corpus, steps, batch, context, dModel, layers, heads, experts, hidden, kMin, learningRate, dropout, validationBatches, newSeeds);
    }
}
