package org.moelab.experiments;

import org.moelab.models.EvoMoE;
import org.moelab.train.Run;

/**
 * One trained arm of the EvoMoE study. Per step: active experts per token and cumulative expert-FFN training FLOPs.
 * Per checkpoint (every evalEvery steps): validation loss (nats, clean top-1 routing), the cumulative FLOPs then,
 * the share of validation tokens whose top-1 expert changed since the previous checkpoint, MI(source; expert) in
 * bits and the normalised load entropy. The expert × source table (P(expert | source)) and the
 * per-source validation loss are the final checkpoint's.
 */
public record EvoMoeArmResult(EvoMoeExperiment.Arm arm, long seed, double[] activeExperts, double[] cumulativeFlops,
                              double[] evalSteps, double[] valLoss, double[] evalFlops, double[] flipRate,
                              double[] mutualInformation, double[] loadEntropy, double[][] expertBySource,
                              double[] sourceLoss, double seconds, long parameters, Run run, EvoMoE model) implements ExperimentRunner.ArmRun<EvoMoeExperiment.Arm> {

    public double finalLoss() {
        return valLoss.length == 0 ? Double.NaN : valLoss[valLoss.length - 1];
    }

    /** First checkpoint step whose validation loss is ≤ target (NaN if never). */
    /** Validation loss at the last checkpoint at or before half of the run (the second round's "same quality in half the steps"). */
    public double lossAtHalf() {
        if (valLoss.length == 0) return Double.NaN;
        double half = evalSteps[evalSteps.length - 1] / 2;
        double loss = Double.NaN;
        for (int i = 0; i < valLoss.length && evalSteps[i] <= half; i++) loss = valLoss[i];
        return loss;
    }

    public double stepsTo(double target) {
        for (int i = 0; i < valLoss.length; i++) if (valLoss[i] <= target) return evalSteps[i];
        return Double.NaN;
    }

    /** Cumulative expert FLOPs at the first checkpoint reaching the target (NaN if never). */
    public double flopsTo(double target) {
        for (int i = 0; i < valLoss.length; i++) if (valLoss[i] <= target) return evalFlops[i];
        return Double.NaN;
    }

    public double totalFlops() {
        return cumulativeFlops.length == 0 ? 0 : cumulativeFlops[cumulativeFlops.length - 1];
    }

    public double last(double[] series) {
        return series.length == 0 ? Double.NaN : series[series.length - 1];
    }
}
