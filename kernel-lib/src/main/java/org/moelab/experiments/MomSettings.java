package org.moelab.experiments;

import java.util.List;
import org.moelab.lab.Preset;

/**
 * Sizes of the MoM recall study (plan A16 of the paper notes). d_k is kept small on purpose: one d_k × d_v memory
 * holds about d_k orthogonal keys, so the interference cliff shows up at P ≈ d_k pairs instead of hiding beyond
 * the sequence lengths a CPU can train on. {@link #quick()} is what the tests and the notebook run on two cores;
 * {@link #full()} is what papers/mom.md reports (3 seeds, longer sequences, more pairs).
 */
public record MomSettings(int vocab, int length, int[] trainPairs, int[] testPairs, int dModel, int layers, int heads,
                                int headDim, int memories, int topK, int mlpHidden, int steps, int batch, float learningRate,
                                int evalRows, List<Long> seeds, List<MomExperiment.Arm> arms) {

    /**
     * V = 64, T = 32, P ∈ {2, 4, 6, 8}, d_k = d_v = 4 (one head), two blocks of d = 64, 1500 steps of 32 sequences at
     * lr 1e-2; the six main arms (the two MoM ablations only in {@link #full()}). Measured on the project's shared
     * 2-core machine (load average ≈ 10): 275 s of training, about 5.5 minutes for the whole notebook.
     */
    public static MomSettings quick() {
        return new MomSettings(64, 32, new int[] {2, 4, 6, 8}, new int[] {2, 4, 6, 8}, 64, 2, 1, 4, 4, 2, 0,
                1500, 32, 1e-2f, 256, List.of(1L), List.of(MomExperiment.Arm.ATTENTION, MomExperiment.Arm.LINEAR_ATTENTION,
                MomExperiment.Arm.GATED_DELTANET, MomExperiment.Arm.MOM, MomExperiment.Arm.GDN_EXPANDED, MomExperiment.Arm.MOM_ORACLE));
    }

    /**
     * The same task with every arm, 4000 steps and three seeds: what papers/mom.md reports (about 10 minutes per
     * seed on the shared machine; the seeds are independent and can run as parallel processes).
     */
    public static MomSettings full() {
        return new MomSettings(64, 32, new int[] {2, 4, 6, 8}, new int[] {2, 4, 6, 8}, 64, 2, 1, 4, 4, 2, 0,
                4000, 32, 1e-2f, 512, List.of(1L, 2L, 3L), List.of(MomExperiment.Arm.values()));
    }

    public static MomSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }

    public MomSettings withSteps(int v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, v, batch, learningRate, evalRows, seeds, arms);
    }

    public MomSettings withSeeds(List<Long> v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, steps, batch, learningRate, evalRows, v, arms);
    }

    public MomSettings withArms(List<MomExperiment.Arm> v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, steps, batch, learningRate, evalRows, seeds, v);
    }

    public MomSettings withLearningRate(float v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, steps, batch, v, evalRows, seeds, arms);
    }

    @Override
    public String toString() {
        return "MomSettings[V=" + vocab + ", T=" + length + ", train P=" + java.util.Arrays.toString(trainPairs) + ", test P="
                + java.util.Arrays.toString(testPairs) + ", d=" + dModel + ", layers=" + layers + ", heads=" + heads + ", d_k=d_v=" + headDim
                + ", M=" + memories + ", top-" + topK + ", steps=" + steps + ", batch=" + batch + ", lr=" + learningRate + ", eval rows/P="
                + evalRows + ", seeds=" + seeds + ", arms=" + arms + "]";
    }

    /** The largest number of pairs tested: where the claim is checked. */
    public int largestPairs() {
        return java.util.Arrays.stream(testPairs).max().orElseThrow();
    }

    public int smallestPairs() {
        return java.util.Arrays.stream(testPairs).min().orElseThrow();
    }
}
