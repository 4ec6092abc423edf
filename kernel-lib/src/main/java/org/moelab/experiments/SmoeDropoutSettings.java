package org.moelab.experiments;

import java.util.List;
import org.moelab.lab.Preset;
import org.moelab.models.SmoeDropout;

/**
 * Sizes of the SMoE-Dropout self-slimming experiment. {@link #quick()} is what the tests and the notebook run on
 * two cores in a couple of minutes; {@link #full()} is what papers/smoe-dropout.md reports (3 seeds, longer).
 */
public record SmoeDropoutSettings(
        @Option(description = "shipped character corpus", range = "tinytext") String corpus,
        @Option(description = "training steps per arm; also T_s, the steps over which k grows", range = "1..100000") int steps,
        @Option(description = "windows per batch", range = "1..256") int batch,
        @Option(description = "characters per window", range = "8..512") int context,
        @Option(description = "model width", range = "8..512, divisible by heads") int dModel,
        @Option(description = "transformer blocks", range = "1..12") int layers,
        @Option(description = "attention heads", range = "1..16") int heads,
        @Option(description = "N, experts the dense FFN is split into", range = "2..64") int experts,
        @Option(description = "total FFN hidden units H (each expert gets H/N)", range = "experts..4096, divisible by experts") int hidden,
        @Option(description = "k_min, the first k of SMoE-Dropout's schedule", range = "1..experts") int kMin,
        @Option(description = "peak AdamW learning rate (warm-up 5%, cosine to 0)", range = "(0, 1]") float learningRate,
        @Option(description = "residual dropout", range = "[0, 1)") float dropout,
        @Option(description = "validation batches in each BPC", range = "1..") int validationBatches,
        @Option(description = "seeds, each training every arm", range = "any integers") List<Long> seeds,
        @Option(description = "arms trained, in this order (each arm's numbers depend only on its seed, not on the others)",
                range = "DENSE | LEARNED | SMOE_DROPOUT | FROZEN_FIXED_K") List<SmoeDropout.Arm> arms) {

    public static SmoeDropoutSettings quick() {
        return new SmoeDropoutSettings("tinytext", 500, 16, 64, 64, 2, 4, 8, 256, 2, 2e-3f, 0.1f, 24, List.of(1L), SmoeDropoutExperiment.ARMS);
    }

    public static SmoeDropoutSettings full() {
        return new SmoeDropoutSettings("tinytext", 3000, 16, 64, 64, 2, 4, 8, 256, 2, 2e-3f, 0.1f, 120, List.of(1L, 2L, 3L), SmoeDropoutExperiment.ARMS);
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
}
