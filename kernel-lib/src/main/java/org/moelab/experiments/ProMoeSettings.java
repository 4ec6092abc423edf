package org.moelab.experiments;

import java.util.List;
import org.moelab.data.ImageDataset;
import org.moelab.lab.Preset;

/**
 * Sizes and data of the ProMoE study (notes §3.5: DiT-tiny, D = 48, 4 blocks, 4 heads, patch 4; AdamW 1e-3, wd 0,
 * batch 32, clip 0.5, EMA 0.999; Euler sampling with CFG w ∈ {1, 2}). {@link #quick()} is what the tests and the
 * notebook run on two cores within a couple of minutes (three arms, one seed, fewer steps and samples);
 * {@link #full()} is what papers/promoe.md reports (every arm, 3 seeds).
 *
 * @param steps             training steps per arm
 * @param batch             images per step
 * @param emaDecay          EMA decay of the sampling weights
 * @param eulerSteps        Euler steps of the sampler
 * @param samples           generated images per guidance weight (class-balanced; equal across arms and weights)
 * @param realImages        real images in the FD reference set
 * @param probePerClass     real images per class in the fixed routing-diagnostics probe
 * @param evalEvery         steps between live-expert checkpoints
 * @param guidances         CFG weights evaluated
 * @param dataset           the images trained on, generated and scored (each with its own frozen evaluator):
 *                          Shapes-10 in both presets (the first round); Textures-10 is the second round's regime,
 *                          in which every foreground patch carries its class
 */
public record ProMoeSettings(
        @Option(description = "training steps per arm", range = "1..100000") int steps,
        @Option(description = "images per step", range = "1..256") int batch,
        @Option(description = "constant AdamW learning rate (clip 0.5, no decay)", range = "(0, 1]") float learningRate,
        @Option(description = "EMA decay of the sampling weights", range = "[0, 1)") float emaDecay,
        @Option(description = "Euler steps of the sampler", range = "1..1000") int eulerSteps,
        @Option(description = "generated images per guidance weight (class-balanced)", range = "10..") int samples,
        @Option(description = "real images in the FD reference set", range = "10..") int realImages,
        @Option(description = "real images per class in the routing probe", range = "1..") int probePerClass,
        @Option(description = "steps between live-expert checkpoints", range = "1..steps") int evalEvery,
        @Option(description = "CFG weights evaluated", range = "any >= 0") List<Float> guidances,
        @Option(description = "seeds, each training every arm", range = "any integers") List<Long> seeds,
        @Option(description = "arms trained, in this order", range = "DENSE | TOKEN_CHOICE | EXPERT_CHOICE | PROTOTYPICAL | PROTOTYPICAL_RCL | PROMOE | SOFTMAX_GATE | SIGMOID_GATE | BALANCED")
        List<ProMoeExperiment.Arm> arms,
        @Option(description = "images trained on and scored (each data set with its own frozen evaluator): Shapes-10 shapes, or Textures-10 class textures in random blobs",
                range = "SHAPES10 | TEXTURES10") ImageDataset dataset) {

    public ProMoeSettings {
        if (dataset == null) throw new IllegalArgumentException("ProMoeSettings: dataset must be one of " + java.util.Arrays.toString(ImageDataset.values()) + ", got null");
    }

    public static ProMoeSettings quick() {
        return new ProMoeSettings(500, 32, 1e-3f, 0.999f, 20, 200, 1000, 10, 50, List.of(1f, 2f), List.of(1L),
                List.of(ProMoeExperiment.Arm.DENSE, ProMoeExperiment.Arm.TOKEN_CHOICE, ProMoeExperiment.Arm.PROMOE), ImageDataset.SHAPES10);
    }

    public static ProMoeSettings full() {
        return new ProMoeSettings(1500, 32, 1e-3f, 0.999f, 30, 500, 2000, 20, 100, List.of(1f, 2f), List.of(1L, 2L, 3L),
                List.of(ProMoeExperiment.Arm.values()), ImageDataset.SHAPES10);
    }

    public static ProMoeSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }
}
