/**
 * The papers' experiments: which arms are trained on which data for which seeds, what is measured, and the claim's
 * verdict. {@link org.moelab.experiments.Papers} lists the five papers and runs {@code %moe reproduce};
 * {@link org.moelab.experiments.ExperimentSpec} is an experiment as plain data (id, paper, arms, every setting by
 * name, metrics, verdict rule; text form and a stable content hash) that {@link org.moelab.experiments.Papers#run}
 * runs alone, through {@link org.moelab.experiments.SettingsCodec} (settings records ↔ named values, with their
 * {@link org.moelab.experiments.Option} declarations); {@link org.moelab.experiments.ExperimentRunner} owns the
 * seeds × arms loop (fixed order, interrupts, {@link org.moelab.experiments.ExperimentRunner.ArmRun} results) and the
 * shared AdamW + warm-up/cosine + clipping recipe. Each paper has an experiment class
 * ({@code SmoeDropoutExperiment}, {@code MomExperiment}, {@code EvoMoeExperiment}, {@code LoraMixerExperiment},
 * {@code ProMoeExperiment}), its settings record per preset and its report (tables, charts, verdict, built with the
 * paper-independent presentation types of {@code org.moelab.report}). {@link org.moelab.experiments.MoeCell} is
 * what a {@code %%moe} cell trains (the lab's language model through {@link org.moelab.experiments.RunSpec} and
 * {@link org.moelab.experiments.CustomRun}, or one arm × seed of a paper's spec, whose declared settings are the
 * cell's keys), {@link org.moelab.experiments.MoeRun} the value it returns, and
 * {@link org.moelab.experiments.RoutingInspector} / {@link org.moelab.experiments.RunComparison} what
 * {@code %moe inspect} and {@code %moe compare} show of such runs.
 *
 * <p>May import every kernel-lib package ({@code tensor}, {@code nn}, {@code moe}, {@code models}, {@code data},
 * {@code train}, {@code eval}, {@code viz}, {@code lab}, {@code report}); nothing in kernel-lib imports this package, and it never
 * imports the Jupyter kernel ({@code org.moelab.kernel}, {@code org.moelab.magics}).
 */
package org.moelab.experiments;
