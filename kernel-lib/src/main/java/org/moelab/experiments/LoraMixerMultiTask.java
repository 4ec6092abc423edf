package org.moelab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.data.SeqTasks;
import org.moelab.lab.Interrupts;
import org.moelab.lab.Preset;
import org.moelab.models.LoraMixer;
import org.moelab.models.LoraMixer.Mode;
import org.moelab.models.LoraMixer.Placement;
import org.moelab.models.LoraMixer.RouterLoss;
import org.moelab.nn.CausalTransformer;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.experiments.ExperimentRunner.Recipe;
import org.moelab.train.Run;

/**
 * LoRA-Mixer's claim at CPU scale (plan §2.4 of the notes): frozen task-LoRA experts routed token by token inside
 * the attention projections, with routers trained on little data, beat one multi-task LoRA and static merges and
 * approach oracle routing; the specialisation term (SBL) helps most when router data is scarce.
 *
 * <p>Per seed: stage 1 trains one LoRA per task with oracle ("hard") routing on a pool of labelled examples; the
 * multi-task baselines train one LoRA of rank r and one of rank E·r (parameter-matched) on the same pool. Stage 2
 * copies the stage-1 experts into fresh mixers and trains only their routers on N mixed examples from a disjoint
 * stream, for every N of the sweep and every router loss. All arms are scored on one fixed, task-balanced test set.
 */
public final class LoraMixerMultiTask {
    static final String PRINTED_SIGN = "LoRA-Mixer SBL as printed (−λH)", FFN_ORACLE = "FFN placement oracle", FFN_ROUTED = "FFN placement SBL";
    private static final long TEST_SEED = 7, ROUTER_DATA_SEED = 11, STAGE1_DATA_SEED = 13;

    private final LoraMixerSettings settings;
    private final CausalTransformer base;
    private final SeqTasks tasks;
    private final SeqTasks.Batch test;

    public LoraMixerMultiTask(LoraMixerSettings settings) {
        this.settings = settings;
        this.base = LoraMixerBase.shipped();
        this.tasks = SeqTasks.builder().tasks(settings.tasks().toArray(SeqTasks.Task[]::new)).digits(5, 8).build();
        this.test = tasks.generate(balanced(settings.testPerTask()), new Rng(TEST_SEED));
    }

    public LoraMixerSettings settings() {
        return settings;
    }

    public CausalTransformer base() {
        return base;
    }

    public SeqTasks tasks() {
        return tasks;
    }

    public SeqTasks.Batch testSet() {
        return test;
    }

    /** Every arm for every seed in a fixed order; stops early (keeping what finished) on an interrupt. */
    public static ExperimentReport reproduce(Preset preset) {
        LoraMixerMultiTask experiment = new LoraMixerMultiTask(LoraMixerSettings.of(preset));
        return experiment.report(experiment.runAll());
    }

    public ExperimentReport report(List<LoraMixerArmResult> results) {
        return LoraMixerReport.of(settings, results);
    }

    public List<LoraMixerArmResult> runAll() {
        List<LoraMixerArmResult> results = new ArrayList<>();
        ExperimentRunner.perSeed(settings.seeds(), seed -> runSeed(seed, results));
        return results;
    }

    /** One seed's arms, appended to {@code results}; false when interrupted. */
    public boolean runSeed(long seed, List<LoraMixerArmResult> results) {
        LoraMixerSettings s = settings;
        int experts = s.experts();
        results.add(LoraMixerArmResult.of("base", seed, 0, baseScores(), 0, 0, 0));

        long start = System.nanoTime();
        LoraMixer stage1 = trainExperts(Placement.ATTENTION, seed);
        if (stage1 == null) return false;
        double stage1Seconds = seconds(start);
        for (int rank : new int[] {s.rank(), parameterMatchedRank()}) {
            start = System.nanoTime();
            LoraMixer single = trainMultiTask(rank, seed);
            if (single == null) return false;
            results.add(LoraMixerArmResult.of("multi-task LoRA r=" + rank, seed, 0, score(single, Mode.ORACLE), single.expertParameters(), single.expertParameters(), seconds(start)));
        }
        long expertParams = stage1.expertParameters();
        results.add(LoraMixerArmResult.of("oracle routing", seed, 0, score(stage1, Mode.ORACLE), expertParams, expertParams, stage1Seconds));
        results.add(LoraMixerArmResult.of("uniform merge", seed, 0, score(stage1, Mode.UNIFORM), expertParams, expertParams, stage1Seconds));

        for (int n : s.routerSizes()) {
            for (RouterLoss loss : new RouterLoss[] {RouterLoss.SBL, RouterLoss.AUX_ONLY}) {
                LoraMixer mixer = routed(stage1, loss, 1f, seed);
                start = System.nanoTime();
                if (!trainRouter(mixer, n, Mode.SOFT, seed)) return false;
                String name = loss == RouterLoss.SBL ? "LoRA-Mixer SBL" : "LoRA-Mixer aux-only";
                results.add(LoraMixerArmResult.of(name + " top-" + s.topK(), seed, n, score(mixer, Mode.TOP_K), mixer.routerParameters(), expertParams + mixer.routerParameters(), seconds(start)));
                if (n == s.largestN()) {
                    results.add(LoraMixerArmResult.of(name + " soft", seed, n, score(mixer, Mode.SOFT), mixer.routerParameters(), expertParams + mixer.routerParameters(), 0));
                }
                if (n == s.largestN() && loss == RouterLoss.SBL) {
                    for (int k : new int[] {1, experts}) {
                        if (k == s.topK()) continue;
                        LoraMixer topK = routedWithTopK(stage1, mixer, k, seed);
                        results.add(LoraMixerArmResult.of(name + " top-" + k, seed, n, score(topK, Mode.TOP_K), mixer.routerParameters(), expertParams + mixer.routerParameters(), 0));
                    }
                }
            }
            if (n == s.largestN() || s.ablations()) {
                LoraMixer global = routed(stage1, RouterLoss.NONE, 1f, seed).globalWeightStage();
                start = System.nanoTime();
                if (!trainRouter(global, n, Mode.GLOBAL, seed)) return false;
                results.add(LoraMixerArmResult.of("LoRAHub-like global weights", seed, n, score(global, Mode.GLOBAL), experts, expertParams + experts, seconds(start)));
            }
        }
        return runKeyAblations(stage1, seed, results) && (!s.ablations() || runAblations(stage1, seed, results));
    }

    /** The two ablations every preset runs (largest N): Eq. 5's printed sign, and the experts on the FFN instead. */
    private boolean runKeyAblations(LoraMixer stage1, long seed, List<LoraMixerArmResult> results) {
        int n = settings.largestN();
        long expertParams = stage1.expertParameters();
        String topK = " top-" + settings.topK();
        LoraMixer printed = routed(stage1, RouterLoss.SBL, -1f, seed);
        if (!trainRouter(printed, n, Mode.SOFT, seed)) return false;
        results.add(LoraMixerArmResult.of(PRINTED_SIGN + topK, seed, n, score(printed, Mode.TOP_K), printed.routerParameters(), expertParams + printed.routerParameters(), 0));
        LoraMixer ffnExperts = trainExperts(Placement.FEED_FORWARD, seed);
        if (ffnExperts == null) return false;
        results.add(LoraMixerArmResult.of(FFN_ORACLE, seed, 0, score(ffnExperts, Mode.ORACLE), ffnExperts.expertParameters(), ffnExperts.expertParameters(), 0));
        LoraMixer ffn = routed(ffnExperts, RouterLoss.SBL, 1f, seed);
        if (!trainRouter(ffn, n, Mode.SOFT, seed)) return false;
        results.add(LoraMixerArmResult.of(FFN_ROUTED + topK, seed, n, score(ffn, Mode.TOP_K), ffn.routerParameters(), ffnExperts.expertParameters() + ffn.routerParameters(), 0));
        return true;
    }

    /** The extra arms of the full preset, all at the largest N. */
    private boolean runAblations(LoraMixer stage1, long seed, List<LoraMixerArmResult> results) {
        int n = settings.largestN();
        long expertParams = stage1.expertParameters();
        String topK = " top-" + settings.topK();
        LoraMixer none = routed(stage1, RouterLoss.NONE, 1f, seed);
        if (!trainRouter(none, n, Mode.SOFT, seed)) return false;
        results.add(LoraMixerArmResult.of("LoRA-Mixer no router loss" + topK, seed, n, score(none, Mode.TOP_K), none.routerParameters(), expertParams + none.routerParameters(), 0));
        LoraMixer straight = routed(stage1, RouterLoss.SBL, 1f, seed);
        if (!trainRouter(straight, n, Mode.STRAIGHT_THROUGH, seed)) return false;
        results.add(LoraMixerArmResult.of("LoRA-Mixer SBL straight-through" + topK, seed, n, score(straight, Mode.TOP_K), straight.routerParameters(), expertParams + straight.routerParameters(), 0));
        LoraMixer joint = routed(stage1, RouterLoss.SBL, 1f, seed).routerStage(true);
        if (!trainRouter(joint, n, Mode.SOFT, seed)) return false;
        results.add(LoraMixerArmResult.of("LoRA-Mixer SBL joint (experts unfrozen)" + topK, seed, n, score(joint, Mode.TOP_K), joint.routerParameters() + expertParams, expertParams + joint.routerParameters(), 0));
        LoraMixer tokenInput = mixer(seed).routerInput(LoraMixer.RouterInput.TOKEN).build();
        for (int e = 0; e < stage1.numExperts(); e++) tokenInput.copyExpert(e, stage1, e);
        if (!trainRouter(tokenInput.routerStage(false), n, Mode.SOFT, seed)) return false;
        results.add(LoraMixerArmResult.of("LoRA-Mixer SBL, router on the token state only" + topK, seed, n, score(tokenInput, Mode.TOP_K), tokenInput.routerParameters(), expertParams + tokenInput.routerParameters(), 0));
        return true;
    }

    // ------------------------------------------------------------------ stages

    /** A mixer around the shipped base with this study's sizes. */
    public LoraMixer.Builder mixer(long seed) {
        return LoraMixer.builder().base(base).experts(settings.experts()).rank(settings.rank()).alpha(settings.alpha()).topK(settings.topK())
                .balanceWeight(settings.balanceWeight()).entropyWeight(settings.entropyWeight()).routerInput(settings.routerInput()).seed(seed);
    }

    /** Stage 1 ("hard"): expert e learns task e, routed by the task label; null when interrupted. */
    public LoraMixer trainExperts(Placement placement, long seed) {
        LoraMixer model = mixer(seed).placement(placement).build().expertStage();
        SeqTasks.Batch pool = tasks.generate(balanced(settings.stage1Examples()), new Rng(STAGE1_DATA_SEED).fork("seed-" + seed));
        return fit(model, pool, settings.stage1Steps(), settings.stage1LearningRate(), Mode.ORACLE, false, seed, "stage 1 experts (" + placement.name().toLowerCase() + ")") ? model : null;
    }

    /** E·r (one LoRA with as many parameters as the E experts), capped at the model width. */
    public int parameterMatchedRank() {
        return Math.min(settings.experts() * settings.rank(), base.dModel());
    }

    /** One LoRA of the given rank on the union of stage 1's data (every row routed to the single expert). */
    public LoraMixer trainMultiTask(int rank, long seed) {
        LoraMixer model = LoraMixer.builder().base(base).experts(1).rank(rank).alpha(settings.alpha() * rank / settings.rank()).topK(1).seed(seed).build().expertStage();
        SeqTasks.Batch pool = tasks.generate(balanced(settings.stage1Examples()), new Rng(STAGE1_DATA_SEED).fork("seed-" + seed));
        return fit(model, pool, settings.stage1Steps(), settings.stage1LearningRate(), Mode.ORACLE, true, seed, "multi-task LoRA r=" + rank) ? model : null;
    }

    /** A fresh stage-2 mixer holding copies of {@code experts}' adapters, its routers trainable. */
    public LoraMixer routed(LoraMixer experts, RouterLoss loss, float entropySign, long seed) {
        LoraMixer model = mixer(seed).placement(experts.placement()).routerLoss(loss).entropySign(entropySign).build();
        for (int e = 0; e < experts.numExperts(); e++) model.copyExpert(e, experts, e);
        return model.routerStage(false);
    }

    /** The same trained routers and experts, evaluated with another top-k. */
    private LoraMixer routedWithTopK(LoraMixer experts, LoraMixer trained, int k, long seed) {
        LoraMixer model = mixer(seed).placement(experts.placement()).topK(k).build();
        model.loadStateDict(trained.stateDict());
        return model;
    }

    /** Stage 2 ("soft"): trains what {@code model} has unfrozen on N mixed examples; false when interrupted. */
    public boolean trainRouter(LoraMixer model, int n, Mode mode, long seed) {
        SeqTasks.Batch pool = tasks.generate(n, new Rng(ROUTER_DATA_SEED).fork("seed-" + seed + "-n-" + n));
        return fit(model, pool, settings.routerSteps(), settings.routerLearningRate(), mode, false, seed, "router N=" + n + " (" + model.routerLossKind() + ")");
    }

    private boolean fit(LoraMixer model, SeqTasks.Batch pool, int steps, float lr, Mode mode, boolean singleExpert, long seed, String label) {
        int batch = Math.min(settings.batch(), pool.rows());
        Recipe recipe = Recipe.cosine(lr, 0f, Math.max(1, steps / 20), lr / 10, 1f);
        Run run = recipe.trainer(model, recipe.optimizer(model), step -> pool.select(sample(pool.rows(), batch, new Rng(seed).fork(label + "-" + step))),
                        (SeqTasks.Batch b, org.moelab.train.StepContext ctx) -> {
                            int[] experts = singleExpert ? new int[b.rows()] : b.tasks();
                            LoraMixer.Output out = model.forward(b.inputs(), b.rows(), b.length(), mode, experts);
                            Tensor loss = model.taskLoss(out, b.targets(), b.rows(), b.length());
                            return loss.add(model.routerLoss(out, b.nonPadding())).add(model.preservationLoss());
                        }, steps, seed, label + " seed " + seed)
                .tokensPerBatch(b -> b.rows() * b.length()).fit();
        return run.completed() && !Interrupts.requested();
    }

    // ------------------------------------------------------------------ scoring

    public LoraMixerScores score(LoraMixer model, Mode mode) {
        model.eval();
        return LoraMixerScores.of(b -> {
            int[] experts = model.numExperts() == 1 ? new int[b.rows()] : b.tasks();
            LoraMixer.Output out = model.forward(b.inputs(), b.rows(), b.length(), mode, experts);
            return new LoraMixerScores.Prediction(out.logits(), out.routerProbabilities());
        }, test, settings.experts(), settings.experts());
    }

    public LoraMixerScores baseScores() {
        return LoraMixerScores.of(b -> new LoraMixerScores.Prediction(base.forward(b.inputs(), b.rows(), b.length()), List.of()), test, settings.experts(), settings.experts());
    }

    /** {@code perTask} rows of each task in task order. */
    private int[] balanced(int perTask) {
        int[] out = new int[perTask * settings.experts()];
        for (int i = 0; i < out.length; i++) out[i] = i / perTask;
        return out;
    }

    private static int[] sample(int rows, int count, Rng rng) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = rng.nextInt(rows);
        return out;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public String toString() {
        return "LoraMixerMultiTask(" + settings.tasks() + ", N " + settings.routerSizes() + ", seeds " + settings.seeds() + ", test " + Arrays.toString(new int[] {test.rows()}) + ")";
    }
}
