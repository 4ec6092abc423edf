package org.moelab.experiments;

import java.util.List;
import org.moelab.lab.Preset;
import org.moelab.models.MoM;

/**
 * Sizes of the MoM recall study (plan A16 of the paper notes). d_k is kept small on purpose: one d_k × d_v memory
 * holds about d_k orthogonal keys, so the interference cliff shows up at P ≈ d_k pairs instead of hiding beyond
 * the sequence lengths a CPU can train on. {@link #quick()} is what the tests and the notebook run on two cores;
 * {@link #full()} is what papers/mom.md reports (3 seeds, longer sequences, more pairs).
 */
public record MomSettings(
        @Option(description = "V, MQAR's vocabulary (keys and values from its two halves)", range = "> length") int vocab,
        @Option(description = "T, tokens per sequence", range = "4..4096, < vocab") int length,
        @Option(description = "P, the numbers of key-value pairs trained on (each batch mixes them)", range = "1.., 4P <= length") int[] trainPairs,
        @Option(description = "P, the numbers of key-value pairs the recall accuracy is measured at", range = "1.., 4P <= length") int[] testPairs,
        @Option(description = "model width", range = "8..512") int dModel,
        @Option(description = "blocks (token mixer + MLP)", range = "1..12") int layers,
        @Option(description = "heads of each token mixer", range = "1..16") int heads,
        @Option(description = "d_k = d_v of each head: one memory is heads × d_k × d_v", range = "1..128") int headDim,
        @Option(description = "M, MoM's memories (besides the shared one)", range = "1..64") int memories,
        @Option(description = "k, memories each token writes to and reads from", range = "1..memories") int topK,
        @Option(description = "MLP hidden units after each mixer (0 = no MLP)", range = "0..4096") int mlpHidden,
        @Option(description = "training steps per arm", range = "1..100000") int steps,
        @Option(description = "sequences per batch", range = "1..256") int batch,
        @Option(description = "AdamW learning rate", range = "(0, 1]") float learningRate,
        @Option(description = "test sequences per P in the recall accuracy", range = "1..") int evalRows,
        @Option(description = "seeds, each training every arm", range = "any integers") List<Long> seeds,
        @Option(description = "arms trained, in this order", range = "ATTENTION | LINEAR_ATTENTION | GATED_DELTANET | MOM | GDN_EXPANDED | MOM_NO_SHARED | MOM_NO_AUX | MOM_ORACLE")
        List<MomExperiment.Arm> arms,
        @Option(description = "what MoM's router reads: HIDDEN (the paper: the token's own x_t) or SHORT_CONV (ours: a causal short conv, so the three previous tokens too)",
                range = "HIDDEN | SHORT_CONV") MoM.RouterInput routerInput) {

    /**
     * V = 64, T = 32, P ∈ {2, 4, 6, 8}, d_k = d_v = 4 (one head), two blocks of d = 64, 1500 steps of 32 sequences at
     * lr 1e-2; the six main arms (the two MoM ablations only in {@link #full()}). Measured on the project's shared
     * 2-core machine (load average ≈ 10): 275 s of training, about 5.5 minutes for the whole notebook.
     */
    public static MomSettings quick() {
        return new MomSettings(64, 32, new int[] {2, 4, 6, 8}, new int[] {2, 4, 6, 8}, 64, 2, 1, 4, 4, 2, 0,
                1500, 32, 1e-2f, 256, List.of(1L), List.of(MomExperiment.Arm.ATTENTION, MomExperiment.Arm.LINEAR_ATTENTION,
                MomExperiment.Arm.GATED_DELTANET, MomExperiment.Arm.MOM, MomExperiment.Arm.GDN_EXPANDED, MomExperiment.Arm.MOM_ORACLE),
                MoM.RouterInput.HIDDEN);
    }

    /**
     * The same task with every arm, 4000 steps and three seeds: what papers/mom.md reports (about 10 minutes per
     * seed on the shared machine; the seeds are independent and can run as parallel processes).
     */
    public static MomSettings full() {
        return new MomSettings(64, 32, new int[] {2, 4, 6, 8}, new int[] {2, 4, 6, 8}, 64, 2, 1, 4, 4, 2, 0,
                4000, 32, 1e-2f, 512, List.of(1L, 2L, 3L), List.of(MomExperiment.Arm.values()), MoM.RouterInput.HIDDEN);
    }

    public static MomSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }

    public MomSettings withSteps(int v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, v, batch, learningRate, evalRows, seeds, arms, routerInput);
    }

    public MomSettings withSeeds(List<Long> v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, steps, batch, learningRate, evalRows, v, arms, routerInput);
    }

    public MomSettings withArms(List<MomExperiment.Arm> v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, steps, batch, learningRate, evalRows, seeds, v, routerInput);
    }

    public MomSettings withLearningRate(float v) {
        return new MomSettings(vocab, length, trainPairs, testPairs, dModel, layers, heads, headDim, memories, topK, mlpHidden, steps, batch, v, evalRows, seeds, arms, routerInput);
    }

    @Override
    public String toString() {
        return "MomSettings[V=" + vocab + ", T=" + length + ", train P=" + java.util.Arrays.toString(trainPairs) + ", test P="
                + java.util.Arrays.toString(testPairs) + ", d=" + dModel + ", layers=" + layers + ", heads=" + heads + ", d_k=d_v=" + headDim
                + ", M=" + memories + ", top-" + topK + ", steps=" + steps + ", batch=" + batch + ", lr=" + learningRate + ", eval rows/P="
                + evalRows + ", seeds=" + seeds + ", arms=" + arms + ", router input=" + routerInput + "]";
    }

    /** The largest number of pairs tested: where the claim is checked. */
    public int largestPairs() {
        return java.util.Arrays.stream(testPairs).max().orElseThrow();
    }

    public int smallestPairs() {
        return java.util.Arrays.stream(testPairs).min().orElseThrow();
    }
}
