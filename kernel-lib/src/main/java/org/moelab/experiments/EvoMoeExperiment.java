package org.moelab.experiments;

import java.util.List;
import java.util.Map;
import org.moelab.data.Batch;
import org.moelab.data.MixLm4;
import org.moelab.experiments.ExperimentRunner.Recipe;
import org.moelab.lab.Preset;
import org.moelab.models.EvoMoE;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.RoutingMetrics;
import org.moelab.report.ExperimentReport;
import org.moelab.train.AdamW;
import org.moelab.train.Run;
import org.moelab.train.StepContext;

/**
 * EvoMoE's convergence claim at CPU scale (plan §1.5 of the notes): on MixLM-4, does spawning experts from one
 * trained expert and annealing the dense-to-sparse gate reach Switch's final validation loss in fewer steps (and
 * fewer expert FLOPs)? Every arm is the same 2-block decoder, differing only in the last block's FFN; every arm
 * sees the same batches in the same order and is evaluated with clean top-1 routing on the same fixed,
 * source-balanced validation set.
 */
public final class EvoMoeExperiment {
    /** The arms of the plan (ablations a–c last). */
    public enum Arm {
        DENSE("dense FFN"),
        SWITCH("Switch top-1"),
        HASH("Hash"),
        DENSE_MOE("dense-MoE (all experts)"),
        EVOMOE("EvoMoE"),
        RANDOM_DTS("random experts + DTS"),
        DIVERSIFY_SWITCH("diversify + Switch gate"),
        COPY_DTS("pure copy + DTS");

        public final String label;

        Arm(String label) {
            this.label = label;
        }
    }

    /** MixLM-4's seed: the data (its sources' parameters and the validation set) is the same for every arm and seed. */
    static final long DATA_SEED = 2112;

    private final EvoMoeSettings settings;
    private final MixLm4 language;
    private final List<Batch> validation;

    public EvoMoeExperiment(EvoMoeSettings settings) {
        this.settings = settings;
        // The language (Markov table, validation set) is fixed; the seeds vary initialisation, noise and batches.
        this.language = new MixLm4(DATA_SEED);
        this.validation = language.validation(64, settings.validationSequences());
    }

    public EvoMoeSettings settings() {
        return settings;
    }

    public MixLm4 language() {
        return language;
    }

    /** Builds one arm's model for a seed. */
    public EvoMoE model(Arm arm, long seed) {
        EvoMoeSettings s = settings;
        EvoMoE.Builder b = EvoMoE.builder().vocab(MixLm4.VOCAB).context(MixLm4.LENGTH).dModel(s.dModel()).heads(s.heads())
                .layers(s.layers()).experts(s.experts()).hidden(s.hidden()).totalSteps(s.steps()).seed(seed);
        return switch (arm) {
            case DENSE -> b.arm(EvoMoE.Arm.DENSE).build();
            case SWITCH -> b.arm(EvoMoE.Arm.SWITCH).build();
            case HASH -> b.arm(EvoMoE.Arm.HASH).build();
            case DENSE_MOE -> b.arm(EvoMoE.Arm.DENSE_MOE).build();
            case EVOMOE -> b.build();
            case RANDOM_DTS -> b.spawn(EvoMoE.Spawn.RANDOM).build();
            case DIVERSIFY_SWITCH -> b.gate(EvoMoE.PhaseBGate.SWITCH).build();
            case COPY_DTS -> b.spawn(EvoMoE.Spawn.COPY).build();
        };
    }

    /** Trains one arm and records its curves. */
    public EvoMoeArmResult runArm(Arm arm, long seed) {
        EvoMoeSettings s = settings;
        EvoMoE model = model(arm, seed);
        Recipe recipe = Recipe.cosine(s.learningRate(), 0.01f, s.warmup(), s.learningRate() / 10, 1f);
        AdamW optimizer = recipe.optimizer(model.module());
        double[] active = new double[s.steps()], flops = new double[s.steps()];
        Checkpoints cp = new Checkpoints(s.steps() / s.evalEvery() + 1);
        double[] cumulative = {0};
        Run run = recipe.trainer(model.module(), optimizer, step -> language.trainingBatch(seed * 1_000_003L + step, s.batch()),
                        (Batch b, StepContext ctx) -> {
                            RoutingContext pass = RoutingContext.training(ctx.step(), ctx.rng());
                            var loss = model.loss(b, pass);
                            int i = (int) ctx.step();
                            active[i] = model.activeExpertsPerToken(pass);
                            cumulative[0] += model.expertFlops(pass, b.positions());
                            flops[i] = cumulative[0];
                            return loss;
                        }, s.steps(), seed, arm.label + " seed " + seed)
                .beforeEachStep(step -> model.beforeStep(step, optimizer))
                .tokensPerBatch(Batch::positions)
                .evaluate(s.evalEvery(), () -> cp.record(model, cumulative[0]))
                .config(model.describe())
                .fit();
        return new EvoMoeArmResult(arm, seed, active, flops, cp.steps(), cp.loss(), cp.flops(), cp.flip(), cp.mi(), cp.entropy(),
                cp.expertBySource, cp.sourceLoss, run.wallSeconds(), model.module().numParameters(), run, model);
    }

    /** Validation pass at a checkpoint: loss, top-1 experts of every position, flip rate, MI, load entropy. */
    private final class Checkpoints {
        private final double[][] rows;
        private int n;
        private int[] previous;
        double[][] expertBySource = new double[0][];
        double[] sourceLoss = new double[0];

        Checkpoints(int capacity) {
            rows = new double[capacity + 1][];
        }

        Map<String, Double> record(EvoMoE model, double flopsSoFar) {
            double nats = 0;
            long positions = 0;
            int total = validation.stream().mapToInt(Batch::positions).sum();
            int[] experts = new int[total], sources = new int[total];
            int at = 0;
            double[] sourceNats = new double[MixLm4.SOURCES], sourceCount = new double[MixLm4.SOURCES];
            for (Batch b : validation) {
                // Per-position cross-entropy from the logits, so the loss can also be split by source.
                RoutingContext pass = RoutingContext.evaluation();
                float[] logits = model.languageModel().forward(b.inputs(), b.rows(), b.context(), pass).data();
                int v = MixLm4.VOCAB;
                for (int i = 0; i < b.positions(); i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < v; j++) max = Math.max(max, logits[i * v + j]);
                    for (int j = 0; j < v; j++) sum += StrictMath.exp(logits[i * v + j] - max);
                    double ce = max + StrictMath.log(sum) - logits[i * v + b.targets()[i]];
                    nats += ce;
                    sourceNats[b.labels()[i]] += ce;
                    sourceCount[b.labels()[i]]++;
                }
                positions += b.positions();
                int[] e = model.primaryExperts(pass);
                if (e.length == b.positions()) System.arraycopy(e, 0, experts, at, e.length);
                System.arraycopy(b.labels(), 0, sources, at, b.positions());
                at += b.positions();
            }
            double loss = nats / positions;
            sourceLoss = new double[MixLm4.SOURCES];
            for (int src = 0; src < sourceLoss.length; src++) sourceLoss[src] = sourceNats[src] / Math.max(1, sourceCount[src]);
            boolean routed = !model.languageModel().moeLayers().isEmpty();
            double flip = Double.NaN, mi = Double.NaN, entropy = Double.NaN;
            if (routed) {
                flip = previous == null ? Double.NaN : RoutingMetrics.flipRate(previous, experts);
                previous = experts;
                mi = RoutingMetrics.mutualInformation(sources, experts, MixLm4.SOURCES, model.experts());
                int[] counts = new int[model.experts()];
                for (int e : experts) if (e >= 0) counts[e]++;
                entropy = RoutingMetrics.normalisedLoadEntropy(counts);
                expertBySource = new double[model.experts()][];
                for (int e = 0; e < model.experts(); e++) {
                    final int expert = e;
                    expertBySource[e] = new double[MixLm4.SOURCES];
                    for (int src = 0; src < MixLm4.SOURCES; src++) {
                        double[] hist = RoutingMetrics.expertHistogram(sources, experts, model.experts(), java.util.Set.of(src));
                        expertBySource[expert][src] = hist[expert];
                    }
                }
            }
            if (n < rows.length) rows[n++] = new double[] {0, loss, flopsSoFar, flip, mi, entropy};
            return Map.of("val loss", loss, "flip rate", flip, "MI(source;expert)", mi);
        }

        private double[] column(int c) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = rows[i][c];
            return out;
        }

        double[] steps() {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = Math.min((long) (i + 1) * settings.evalEvery(), settings.steps());
            return out;
        }

        double[] loss() { return column(1); }
        double[] flops() { return column(2); }
        double[] flip() { return column(3); }
        double[] mi() { return column(4); }
        double[] entropy() { return column(5); }
    }

    /** Every arm for every seed, in a fixed order; stops early (keeping what finished) on an interrupt. */
    public List<EvoMoeArmResult> runAll() {
        return ExperimentRunner.seedsTimesArms(settings.seeds(), settings.arms(), this::runArm);
    }

    /** Tables, charts and the verdict of a set of arm results. */
    public ExperimentReport report(List<EvoMoeArmResult> results) {
        if (results.isEmpty()) throw new IllegalArgumentException("EvoMoeExperiment: no finished arm to report (interrupted before the first one finished?)");
        return EvoMoeReport.report(results, settings, model(Arm.EVOMOE, settings.seeds().get(0)));
    }

    /** The whole experiment at a preset, as {@code %moe reproduce evomoe} runs it. */
    public static ExperimentReport reproduce(Preset preset) {
        EvoMoeExperiment experiment = new EvoMoeExperiment(EvoMoeSettings.of(preset));
        return experiment.report(experiment.runAll());
    }
}
