package org.moelab.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.experiments.ExperimentRunner.Recipe;
import org.moelab.models.SmoeDropout;
import org.moelab.moe.RoutingContext;
import org.moelab.report.ExperimentReport;
import org.moelab.tensor.Rng;
import org.moelab.train.Run;
import org.moelab.train.RunStatus;
import org.moelab.train.StepContext;

/**
 * SMoE-Dropout's self-slimmable claim at character-LM scale (plan B10 in the paper notes): train four arms on the
 * same data order — dense FFN; learned router at fixed k = 2; SMoE-Dropout (frozen random router, k linear from
 * k_min to N); frozen random router at fixed k = 2 (isolates the schedule) — then evaluate validation bits per
 * character with k ∈ {1, 2, 4, ..., N} experts active.
 */
public final class SmoeDropoutExperiment {
    /** Every arm, in the order the presets train them. */
    public static final List<SmoeDropout.Arm> ARMS = List.of(SmoeDropout.Arm.DENSE, SmoeDropout.Arm.LEARNED,
            SmoeDropout.Arm.SMOE_DROPOUT, SmoeDropout.Arm.FROZEN_FIXED_K);

    private final SmoeDropoutSettings settings;
    private final CharCorpus corpus;
    private final List<Batch> validation;

    public SmoeDropoutExperiment(SmoeDropoutSettings settings) {
        this.settings = settings;
        this.corpus = CharCorpus.shipped(settings.corpus());
        List<Batch> all = corpus.validationBatches(settings.batch(), settings.context());
        this.validation = all.subList(0, Math.min(all.size(), settings.validationBatches()));
    }

    public SmoeDropoutSettings settings() {
        return settings;
    }

    /** Builds one arm's model for a seed. */
    public SmoeDropout model(SmoeDropout.Arm arm, long seed) {
        SmoeDropoutSettings s = settings;
        return SmoeDropout.builder().arm(arm).vocab(corpus.vocabSize()).layers(s.layers()).dModel(s.dModel()).heads(s.heads())
                .context(s.context()).experts(s.experts()).hidden(s.hidden()).kMin(s.kMin()).fixedK(2)
                .scheduleSteps(s.steps()).dropout(s.dropout()).seed(seed).build();
    }

    /** Trains one arm and evaluates its self-slimmable curve. */
    public SmoeDropoutArmResult runArm(SmoeDropout.Arm arm, long seed) {
        SmoeDropoutSettings s = settings;
        SmoeDropout model = model(arm, seed);
        Recipe recipe = Recipe.cosine(s.learningRate(), 0.01f, s.steps() / 20, 0f, 1f);
        // Same data order for every arm: batches depend on the seed and the step only.
        Run run = recipe.trainer(model.module(), recipe.optimizer(model.module()),
                        step -> corpus.trainingBatch(new Rng(seed).fork("data"), step, s.batch(), s.context()),
                        (Batch b, StepContext ctx) -> model.loss(b, RoutingContext.training(ctx.step(), ctx.rng())),
                        s.steps(), seed, arm.name().toLowerCase().replace('_', '-') + " seed " + seed)
                .tokensPerBatch(Batch::positions)
                .config(model.describe())
                .fit();
        if (run.status() == RunStatus.INTERRUPTED) {
            // Stopped by the user: keep the model and its run at once, evaluate nothing.
            return new SmoeDropoutArmResult(arm, seed, Map.of(), run.wallSeconds(), new double[0], model.module().numParameters(), run, model);
        }
        Map<Integer, Double> bpc = new LinkedHashMap<>();
        for (int k : s.evaluationKs()) {
            bpc.put(k, model.bitsPerChar(validation, k));
            if (arm == SmoeDropout.Arm.DENSE) break;
        }
        // Token share per expert at the arm's own training k on one validation batch (a random router should be roughly balanced).
        double[] share = arm == SmoeDropout.Arm.DENSE ? new double[0]
                : model.expertTokenShare(validation.get(0), arm == SmoeDropout.Arm.SMOE_DROPOUT ? s.kMin() : 2);
        return new SmoeDropoutArmResult(arm, seed, bpc, run.wallSeconds(), share, model.module().numParameters(), run, model);
    }

    /** Tables, charts and the verdict of a set of arm results. */
    public ExperimentReport report(List<SmoeDropoutArmResult> results) {
        if (results.isEmpty()) throw new IllegalArgumentException("SmoeDropoutExperiment: no finished arm to report (interrupted before the first one finished?)");
        return SmoeDropoutReport.report(results, settings, model(SmoeDropout.Arm.SMOE_DROPOUT, settings.seeds().get(0)));
    }

    /** The whole experiment at a preset, as {@code %moe reproduce smoe-dropout} runs it. */
    public static ExperimentReport reproduce(org.moelab.lab.Preset preset) {
        SmoeDropoutExperiment experiment = new SmoeDropoutExperiment(SmoeDropoutSettings.of(preset));
        return experiment.report(experiment.runAll());
    }

    /** Every arm for every seed, in a fixed order; stops early (keeping what finished) on an interrupt. */
    public List<SmoeDropoutArmResult> runAll() {
        return ExperimentRunner.seedsTimesArms(settings.seeds(), settings.arms(), this::runArm);
    }
}
