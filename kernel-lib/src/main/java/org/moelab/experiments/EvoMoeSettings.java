package org.moelab.experiments;

import java.util.List;
import org.moelab.lab.Preset;

/**
 * Sizes of the EvoMoE convergence study on MixLM-4 (plan §1.5 of the notes: 2-layer pre-LN decoder, d = 48,
 * 4 heads, E = 4 experts of hidden 96 in the last block, AdamW 3e-3 with warm-up and cosine decay to 10%, batch
 * 32 × 32 tokens). {@link #quick()} is what the tests and the notebook run on two cores in a few minutes (fewer
 * steps, fewer validation sequences); {@link #full()} is what papers/evomoe.md reports (3 seeds).
 */
public record EvoMoeSettings(
        @Option(description = "training steps N per arm (phase fractions refer to it)", range = "2..100000") int steps,
        @Option(description = "sequences per batch", range = "1..256") int batch,
        @Option(description = "model width", range = "8..512, divisible by heads") int dModel,
        @Option(description = "attention heads", range = "1..16") int heads,
        @Option(description = "decoder blocks (MoE in the last one)", range = "1..12") int layers,
        @Option(description = "E, experts in the MoE layer", range = "2..64") int experts,
        @Option(description = "hidden units of each expert and of the dense FFN", range = "1..4096") int hidden,
        @Option(description = "peak AdamW learning rate (cosine decay to 10%)", range = "(0, 1]") float learningRate,
        @Option(description = "linear warm-up steps", range = "0..steps") int warmup,
        @Option(description = "steps between validation checkpoints", range = "1..steps") int evalEvery,
        @Option(description = "fixed, source-balanced validation sequences", range = "1..") int validationSequences,
        @Option(description = "seeds, each training every arm", range = "any integers") List<Long> seeds,
        @Option(description = "arms trained, in this order", range = "DENSE | SWITCH | HASH | DENSE_MOE | EVOMOE | RANDOM_DTS | DIVERSIFY_SWITCH | COPY_DTS")
        List<EvoMoeExperiment.Arm> arms) {

    public static EvoMoeSettings quick() {
        return new EvoMoeSettings(300, 16, 48, 4, 2, 4, 96, 3e-3f, 20, 30, 128, List.of(1L), List.of(EvoMoeExperiment.Arm.values()));
    }

    public static EvoMoeSettings full() {
        return new EvoMoeSettings(1500, 32, 48, 4, 2, 4, 96, 3e-3f, 100, 75, 512, List.of(1L, 2L, 3L), List.of(EvoMoeExperiment.Arm.values()));
    }

    public static EvoMoeSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }
}
