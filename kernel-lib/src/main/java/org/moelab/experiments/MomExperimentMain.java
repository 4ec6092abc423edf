package org.moelab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line runner of the MQAR recall study in the zoology-like regime of issue 13 (V = 256, T = 64,
 * P ∈ {4, 8, 16}, d = 64, 4 heads of d_k = 16, two blocks, batch 32), one process per (lr, seed) so that runs can
 * go in parallel: {@code java ... org.moelab.experiments.MomExperimentMain LR STEPS SEED ARM[,ARM...]}, one line per
 * arm on stdout ({@link MomExperiment#describe}) plus the training loss every 100 steps. {@code -Dmoelab.gdnInitStd=0}
 * runs the Gated DeltaNet / MoM arms with the pre-issue-13 init (PyTorch module defaults).
 */
public final class MomExperimentMain {
    private MomExperimentMain() {}

    /** The issue-13 regime at learning rate {@code lr}. */
    public static MomSettings zoologyRegime(float lr, int steps, List<Long> seeds, List<MomExperiment.Arm> arms) {
        return new MomSettings(256, 64, new int[] {4, 8, 16}, new int[] {4, 8, 16}, 64, 2, 4, 16, 4, 2, 0, steps, 32, lr, 256, seeds, arms, org.moelab.models.MoM.RouterInput.HIDDEN);
    }

    public static void main(String[] args) {
        float lr = Float.parseFloat(args[0]);
        int steps = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        List<MomExperiment.Arm> arms = new ArrayList<>();
        for (String a : args[3].split(",")) arms.add(MomExperiment.Arm.valueOf(a));
        float initStd = Float.parseFloat(System.getProperty("moelab.gdnInitStd", Float.toString(org.moelab.nn.GatedDeltaNet.INIT_STD)));
        MomExperiment study = new MomExperiment(zoologyRegime(lr, steps, List.of(seed), arms), initStd);
        for (MomExperiment.Arm arm : arms) {
            MomExperiment.ArmResult r = study.runArm(arm, seed);
            var st = r.run().history().steps();
            StringBuilder sb = new StringBuilder("  loss/gradnorm every 100 steps:");
            for (int i = 0; i < st.size(); i += 100) sb.append(String.format(java.util.Locale.ROOT, " %d:%.3f/%.2f", st.get(i).step(), st.get(i).loss(), st.get(i).gradNorm()));
            System.out.println(sb);
            System.out.println("lr " + lr + " init " + initStd + " " + study.describe(r));
            System.out.flush();
        }
    }
}
