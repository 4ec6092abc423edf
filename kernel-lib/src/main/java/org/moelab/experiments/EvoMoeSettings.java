package org.moelab.experiments;

import java.util.List;
import org.moelab.lab.Preset;

/**
 * Sizes of the EvoMoE convergence study on MixLM-4 (plan §1.5 of the notes: 2-layer pre-LN decoder, d = 48,
 * 4 heads, E = 4 experts of hidden 96 in the last block, AdamW 3e-3 with warm-up and cosine decay to 10%, batch
 * 32 × 32 tokens). {@link #quick()} is what the tests and the notebook run on two cores in a few minutes (fewer
 * steps, fewer validation sequences); {@link #full()} is what papers/evomoe.md reports (3 seeds).
 */
public record EvoMoeSettings(int steps, int batch, int dModel, int heads, int layers, int experts, int hidden,
                             float learningRate, int warmup, int evalEvery, int validationSequences, List<Long> seeds,
                             List<EvoMoeConvergence.Arm> arms) {

    public static EvoMoeSettings quick() {
        return new EvoMoeSettings(300, 16, 48, 4, 2, 4, 96, 3e-3f, 20, 30, 128, List.of(1L), List.of(EvoMoeConvergence.Arm.values()));
    }

    public static EvoMoeSettings full() {
        return new EvoMoeSettings(1500, 32, 48, 4, 2, 4, 96, 3e-3f, 100, 75, 512, List.of(1L, 2L, 3L), List.of(EvoMoeConvergence.Arm.values()));
    }

    public static EvoMoeSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }

    public EvoMoeSettings withSteps(int newSteps, int newEvalEvery) {
        return new EvoMoeSettings(newSteps, batch, dModel, heads, layers, experts, hidden, learningRate, warmup, newEvalEvery, validationSequences, seeds, arms);
    }

    public EvoMoeSettings withSeeds(List<Long> newSeeds) {
        return new EvoMoeSettings(steps, batch, dModel, heads, layers, experts, hidden, learningRate, warmup, evalEvery, validationSequences, newSeeds, arms);
    }

    public EvoMoeSettings withArms(List<EvoMoeConvergence.Arm> newArms) {
        return new EvoMoeSettings(steps, batch, dModel, heads, layers, experts, hidden, learningRate, warmup, evalEvery, validationSequences, seeds, newArms);
    }
}
