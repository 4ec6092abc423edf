package org.moelab.experiments;

import java.util.Map;
import org.moelab.data.ImageDataset;
import org.moelab.models.ProMoE;
import org.moelab.train.Run;

/**
 * One trained arm of the ProMoE study.
 *
 * @param mseCurve            diffusion MSE per training step
 * @param checkpointSteps     steps at which live experts were counted
 * @param liveExperts         routed experts (prototypes) that received ≥ 1 token in the window before each
 *                            checkpoint, averaged over MoE layers (NaN for dense)
 * @param fd                  guidance weight → Fréchet distance to the real reference set (EMA weights)
 * @param fdNoise             guidance weight → bootstrap sd of that FD over resampled generated sets
 * @param accuracy            guidance weight → conditional accuracy of the evaluator on the samples
 * @param jsd                 JS divergence (bits) between the expert histograms of classes 0–4 and 5–9, mean over
 *                            MoE layers, on the routing probe
 * @param mutualInformation   MI(class; expert) in bits, mean over MoE layers
 * @param subspaceOverlap     mean inter-expert subspace overlap of the routed experts (k = 8)
 * @param expertByClass       P(expert | class) [routed experts][classes] in the last MoE layer
 * @param grids               guidance weight → a few samples per class, [class][sample] → 256 pixels
 * @param dataset             the data set the arm was trained on and scored against
 * @param routingBreakdown    MI(class; expert) per MoE layer and per token type (foreground / background) on the
 *                            routing probe, by runs-table column name ({@link ProMoeRoutingProbe.Result#breakdown()};
 *                            empty for dense)
 */
public record ProMoeArmResult(ProMoeExperiment.Arm arm, long seed, double[] mseCurve, double[] checkpointSteps, double[] liveExperts,
                              Map<Float, Double> fd, Map<Float, Double> fdNoise, Map<Float, Double> accuracy, double jsd,
                              double mutualInformation, double subspaceOverlap, double[][] expertByClass,
                              Map<Float, float[][][]> grids, double seconds, long parameters, Run run, ImageDataset dataset,
                              Map<String, Double> routingBreakdown, ProMoE model) implements ExperimentRunner.ArmRun<ProMoeExperiment.Arm> {

    /** Mean diffusion MSE over the last 10% of training steps (single batches are noisy). */
    public double finalLoss() {
        int n = Math.max(1, mseCurve.length / 10);
        double s = 0;
        for (int i = mseCurve.length - n; i < mseCurve.length; i++) s += mseCurve[i];
        return mseCurve.length == 0 ? Double.NaN : s / n;
    }

    public double fdAt(float guidance) {
        return fd.getOrDefault(guidance, Double.NaN);
    }

    public double accuracyAt(float guidance) {
        return accuracy.getOrDefault(guidance, Double.NaN);
    }

    public double fdNoiseAt(float guidance) {
        return fdNoise.getOrDefault(guidance, Double.NaN);
    }

    /** Live experts at the last checkpoint. */
    public double finalLiveExperts() {
        return liveExperts.length == 0 ? Double.NaN : liveExperts[liveExperts.length - 1];
    }
}
