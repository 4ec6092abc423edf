package org.moelab.experiments;

import java.util.Map;
import org.moelab.models.SmoeDropout;
import org.moelab.train.Run;

/** What one arm measured for one seed: validation BPC per evaluated k, wall time, and the expert token share. */
public record SmoeDropoutArmResult(SmoeDropout.Arm arm, long seed, Map<Integer, Double> bpcByK, double trainSeconds,
                                   double[] expertShare, long parameters, Run run, SmoeDropout model) implements ExperimentRunner.ArmRun<SmoeDropout.Arm> {}
