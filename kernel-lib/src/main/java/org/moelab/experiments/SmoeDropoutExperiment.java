package org.moelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.lab.Interrupts;
import org.moelab.models.SmoeDropout;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.Rng;
import org.moelab.train.AdamW;
import org.moelab.train.LearningRateSchedule;
import org.moelab.train.Run;
import org.moelab.train.Trainer;

/**
 * SMoE-Dropout's self-slimmable claim at character-LM scale (plan B10 in the paper notes): train four arms on the
 * same data order — dense FFN; learned router at fixed k = 2; SMoE-Dropout (frozen random router, k linear from
 * k_min to N); frozen random router at fixed k = 2 (isolates the schedule) — then evaluate validation bits per
 * character with k ∈ {1, 2, 4, ..., N} experts active.
 */
public final class SmoeDropoutExperiment {
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
        AdamW optimizer = AdamW.builder(model.module()).learningRate(s.learningRate()).weightDecay(0.01f).build();
        // Same data order for every arm: batches depend on the seed and the step only.
        Run run = Trainer.builder(model.module(),
                        step -> corpus.trainingBatch(new Rng(seed).fork("data"), step, s.batch(), s.context()),
                        (Batch b, org.moelab.train.StepContext ctx) -> model.loss(b, RoutingContext.training(ctx.step(), ctx.rng())))
                .label(arm.name().toLowerCase().replace('_', '-') + " seed " + seed)
                .steps(s.steps()).seed(seed).optimizer(optimizer)
                .schedule(LearningRateSchedule.cosine(s.learningRate(), s.steps() / 20, s.steps(), 0f))
                .clipNorm(1f)
                .beforeEachStep(model::beforeStep)
                .tokensPerBatch(Batch::positions)
                .config(model.describe())
                .fit();
        Map<Integer, Double> bpc = new LinkedHashMap<>();
        for (int k : s.evaluationKs()) {
            bpc.put(k, model.bitsPerChar(validation, k));
            if (arm == SmoeDropout.Arm.DENSE) break;
        }
        double[] share = arm == SmoeDropout.Arm.DENSE ? new double[0] : shareAtFullK(model);
        return new SmoeDropoutArmResult(arm, seed, bpc, run.wallSeconds(), share, model.module().numParameters(), run);
    }

    /** Token share per expert at the arm's own k on validation data (a random router should be roughly balanced). */
    private double[] shareAtFullK(SmoeDropout model) {
        model.setK(model.arm() == SmoeDropout.Arm.SMOE_DROPOUT ? settings.kMin() : 2);
        model.languageModel().bitsPerChar(validation.subList(0, 1));
        return model.expertTokenShare();
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
        List<SmoeDropoutArmResult> results = new ArrayList<>();
        for (long seed : settings.seeds()) {
            for (SmoeDropout.Arm arm : ARMS) {
                if (Interrupts.requested()) return results;
                results.add(runArm(arm, seed));
            }
        }
        return results;
    }
}
