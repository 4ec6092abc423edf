package org.moelab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moelab.data.SeqTasks;
import org.moelab.experiments.ExperimentRunner.Recipe;
import org.moelab.lab.Interrupts;
import org.moelab.lab.Preset;
import org.moelab.models.CausalTransformer;
import org.moelab.models.LoraMixer.Mode;
import org.moelab.models.LoraMixer.Placement;
import org.moelab.models.LoraMixer.RouterLoss;
import org.moelab.models.LoraMixer;
import org.moelab.report.ExperimentReport;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.LearningRateSchedule;
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
 * {@link LoraMixerSettings#arms} selects which {@link Arm}s run: a sweep point trains one arm of one seed, retraining
 * stage 1 for it (the cost of independence), and gets the bits that arm gets in a run of every arm.
 */
public final class LoraMixerExperiment {
    static final String PRINTED_SIGN = "LoRA-Mixer SBL as printed (−λH)", FFN_ORACLE = "FFN placement oracle", FFN_ROUTED = "FFN placement SBL";

    /**
     * What {@link LoraMixerSettings#arms} can select, in the study's order (the order rows first appear). Each arm
     * names the stage it trains; its rows keep the tables' labels (quoted below; k is {@code topK}, N the router data
     * size). Arms that read stage 1's attention experts need stage 1, which a run trains once per seed whenever one
     * of them is selected.
     */
    public enum Arm {
        /** "base": the frozen COPY base as shipped. */
        BASE(false),
        /** "multi-task LoRA r=&lt;rank&gt;": one LoRA of the experts' rank on the union of stage 1's data. */
        MULTI_TASK_LORA(false),
        /** "multi-task LoRA r=&lt;E·r&gt;": the parameter-matched one, rank min(E·r, d). */
        MULTI_TASK_LORA_MATCHED(false),
        /** "oracle routing": stage 1's experts, each task routed to its own expert (the ceiling). */
        ORACLE_ROUTING(true),
        /** "uniform merge": stage 1's experts averaged with weight 1/E (a static merge). */
        UNIFORM_MERGE(true),
        /** "LoRA-Mixer SBL top-k" at every router N: the routers trained with SBL, the method. */
        SBL(true),
        /** "LoRA-Mixer aux-only top-k" at every router N: the routers trained with the balance loss alone. */
        AUX_ONLY(true),
        /**
         * At the largest N, the SBL and aux-only routers scored otherwise: "LoRA-Mixer SBL soft", "LoRA-Mixer SBL
         * top-1" and "top-E" (whichever is not k), "LoRA-Mixer aux-only soft". Alone, it trains those two routers.
         */
        SOFT_AND_OTHER_TOP_K(true),
        /** "LoRAHub-like global weights": one learned weighting of the experts for every token (largest N, or every N). */
        LORAHUB_GLOBAL(true),
        /** "LoRA-Mixer SBL as printed (−λH) top-k": Eq. 5 with its printed sign (largest N). */
        PRINTED_SIGN(true),
        /** "FFN placement oracle" and "FFN placement SBL top-k": the experts on the feed-forward layers (their own stage 1). */
        FFN_PLACEMENT(false),
        /** "LoRA-Mixer no router loss top-k" (largest N). */
        NO_ROUTER_LOSS(true),
        /** "LoRA-Mixer SBL straight-through top-k": routers trained through hard top-k (largest N). */
        STRAIGHT_THROUGH(true),
        /** "LoRA-Mixer SBL joint (experts unfrozen) top-k": routers and experts trained together (largest N). */
        JOINT(true),
        /** "LoRA-Mixer SBL, router on the token state only top-k": the router reads the token, not the causal mean (largest N). */
        TOKEN_ROUTER_INPUT(true);

        private final boolean readsStageOneExperts;

        Arm(boolean readsStageOneExperts) {
            this.readsStageOneExperts = readsStageOneExperts;
        }

        /** Whether the arm uses stage 1's attention experts (so a run that selects it trains stage 1). */
        public boolean readsStageOneExperts() {
            return readsStageOneExperts;
        }
    }

    /** The arms every preset trains: the main comparison and the two key ablations (Eq. 5's printed sign, FFN placement). */
    public static final List<Arm> ARMS_OF_EVERY_PRESET = List.of(Arm.BASE, Arm.MULTI_TASK_LORA, Arm.MULTI_TASK_LORA_MATCHED, Arm.ORACLE_ROUTING,
            Arm.UNIFORM_MERGE, Arm.SBL, Arm.AUX_ONLY, Arm.SOFT_AND_OTHER_TOP_K, Arm.LORAHUB_GLOBAL, Arm.PRINTED_SIGN, Arm.FFN_PLACEMENT);
    private static final long TEST_SEED = 7, ROUTER_DATA_SEED = 11, STAGE1_DATA_SEED = 13;

    private final LoraMixerSettings settings;
    private final CausalTransformer base;
    private final SeqTasks tasks;
    private final SeqTasks.Batch test;

    public LoraMixerExperiment(LoraMixerSettings settings) {
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

    /** Every selected arm for every seed in a fixed order; stops early (keeping what finished) on an interrupt. */
    public static ExperimentReport reproduce(Preset preset) {
        LoraMixerExperiment experiment = new LoraMixerExperiment(LoraMixerSettings.of(preset));
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

    /**
     * One seed's selected arms ({@link LoraMixerSettings#arms}), appended to {@code results} in the study's order;
     * false when interrupted. Stage 1 is trained first whenever a selected arm reads its experts, exactly as when
     * every arm runs: it depends only on the seed. Every draw after it is derived from the seed and the stage's own
     * label (see fit), never from a stream another arm advanced, so an arm alone gives the bits it gives
     * among the others.
     */
    public boolean runSeed(long seed, List<LoraMixerArmResult> results) {
        LoraMixerSettings s = settings;
        if (runs(Arm.BASE)) results.add(LoraMixerArmResult.of("base", seed, 0, baseScores(), 0, 0, 0));

        LoraMixer stage1 = null;
        double stage1Seconds = 0;
        if (s.arms().stream().anyMatch(Arm::readsStageOneExperts)) {
            long start = System.nanoTime();
            stage1 = trainExperts(settings.placement(), seed);
            if (stage1 == null) return false;
            stage1Seconds = seconds(start);
        }
        for (Arm arm : new Arm[] {Arm.MULTI_TASK_LORA, Arm.MULTI_TASK_LORA_MATCHED}) {
            if (!runs(arm)) continue;
            int rank = arm == Arm.MULTI_TASK_LORA ? s.rank() : parameterMatchedRank();
            long start = System.nanoTime();
            LoraMixer single = trainMultiTask(rank, seed);
            if (single == null) return false;
            results.add(LoraMixerArmResult.of("multi-task LoRA r=" + rank, seed, 0, score(single, Mode.ORACLE), single.expertParameters(), single.expertParameters(), seconds(start)));
        }
        // No selected arm reads stage 1's experts: of the arms after this point, only FFN placement (its own stage 1) can remain.
        if (stage1 == null) return !runs(Arm.FFN_PLACEMENT) || runFfnPlacement(seed, results);
        long expertParams = stage1.expertParameters();
        if (runs(Arm.ORACLE_ROUTING)) results.add(LoraMixerArmResult.of("oracle routing", seed, 0, score(stage1, Mode.ORACLE), expertParams, expertParams, stage1Seconds));
        if (runs(Arm.UNIFORM_MERGE)) results.add(LoraMixerArmResult.of("uniform merge", seed, 0, score(stage1, Mode.UNIFORM), expertParams, expertParams, stage1Seconds));

        for (int n : s.routerSizes()) {
            boolean largest = n == s.largestN();
            for (RouterLoss loss : new RouterLoss[] {RouterLoss.SBL, RouterLoss.AUX_ONLY}) {
                boolean scoredTopK = runs(loss == RouterLoss.SBL ? Arm.SBL : Arm.AUX_ONLY), scoredOtherwise = largest && runs(Arm.SOFT_AND_OTHER_TOP_K);
                if (!scoredTopK && !scoredOtherwise) continue;
                LoraMixer mixer = routed(stage1, loss, 1f, seed);
                long start = System.nanoTime();
                if (!trainRouter(mixer, n, Mode.SOFT, seed)) return false;
                String name = loss == RouterLoss.SBL ? "LoRA-Mixer SBL" : "LoRA-Mixer aux-only";
                long added = expertParams + mixer.routerParameters();
                if (scoredTopK) results.add(LoraMixerArmResult.of(name + " top-" + s.topK(), seed, n, score(mixer, Mode.TOP_K), mixer.routerParameters(), added, seconds(start)));
                if (!scoredOtherwise) continue;
                results.add(LoraMixerArmResult.of(name + " soft", seed, n, score(mixer, Mode.SOFT), mixer.routerParameters(), added, 0));
                if (loss != RouterLoss.SBL) continue;
                for (int k : new int[] {1, s.experts()}) {
                    if (k == s.topK()) continue;
                    LoraMixer topK = routedWithTopK(stage1, mixer, k, seed);
                    results.add(LoraMixerArmResult.of(name + " top-" + k, seed, n, score(topK, Mode.TOP_K), mixer.routerParameters(), added, 0));
                }
            }
            if (runs(Arm.LORAHUB_GLOBAL) && (largest || s.globalWeightsAtEveryN())) {
                LoraMixer global = routed(stage1, RouterLoss.NONE, 1f, seed).globalWeightStage();
                long start = System.nanoTime();
                if (!trainRouter(global, n, Mode.GLOBAL, seed)) return false;
                results.add(LoraMixerArmResult.of("LoRAHub-like global weights", seed, n, score(global, Mode.GLOBAL), s.experts(), expertParams + s.experts(), seconds(start)));
            }
        }
        return (!runs(Arm.PRINTED_SIGN) || runPrintedSign(stage1, seed, results)) && (!runs(Arm.FFN_PLACEMENT) || runFfnPlacement(seed, results))
                && runRouterAblations(stage1, seed, results);
    }

    private boolean runs(Arm arm) {
        return settings.arms().contains(arm);
    }

    /** Eq. 5 with its printed sign (maximising the per-token entropy), at the largest N. */
    private boolean runPrintedSign(LoraMixer stage1, long seed, List<LoraMixerArmResult> results) {
        LoraMixer printed = routed(stage1, RouterLoss.SBL, -1f, seed);
        if (!trainRouter(printed, settings.largestN(), Mode.SOFT, seed)) return false;
        addRouted(PRINTED_SIGN, printed, stage1, seed, results);
        return true;
    }

    /** The experts on the feed-forward layers instead (their own stage 1), scored with oracle routing and with an SBL router. */
    private boolean runFfnPlacement(long seed, List<LoraMixerArmResult> results) {
        LoraMixer ffnExperts = trainExperts(Placement.FEED_FORWARD, seed);
        if (ffnExperts == null) return false;
        results.add(LoraMixerArmResult.of(FFN_ORACLE, seed, 0, score(ffnExperts, Mode.ORACLE), ffnExperts.expertParameters(), ffnExperts.expertParameters(), 0));
        LoraMixer ffn = routed(ffnExperts, RouterLoss.SBL, 1f, seed);
        if (!trainRouter(ffn, settings.largestN(), Mode.SOFT, seed)) return false;
        addRouted(FFN_ROUTED, ffn, ffnExperts, seed, results);
        return true;
    }

    /** The selected router ablations (the full preset's extra arms), all at the largest N. */
    private boolean runRouterAblations(LoraMixer stage1, long seed, List<LoraMixerArmResult> results) {
        int n = settings.largestN();
        if (runs(Arm.NO_ROUTER_LOSS)) {
            LoraMixer none = routed(stage1, RouterLoss.NONE, 1f, seed);
            if (!trainRouter(none, n, Mode.SOFT, seed)) return false;
            addRouted("LoRA-Mixer no router loss", none, stage1, seed, results);
        }
        if (runs(Arm.STRAIGHT_THROUGH)) {
            LoraMixer straight = routed(stage1, RouterLoss.SBL, 1f, seed);
            if (!trainRouter(straight, n, Mode.STRAIGHT_THROUGH, seed)) return false;
            addRouted("LoRA-Mixer SBL straight-through", straight, stage1, seed, results);
        }
        if (runs(Arm.JOINT)) {
            LoraMixer joint = routed(stage1, RouterLoss.SBL, 1f, seed).routerStage(true);
            if (!trainRouter(joint, n, Mode.SOFT, seed)) return false;
            long expertParams = stage1.expertParameters();
            results.add(LoraMixerArmResult.of("LoRA-Mixer SBL joint (experts unfrozen)" + " top-" + settings.topK(), seed, n, score(joint, Mode.TOP_K),
                    joint.routerParameters() + expertParams, expertParams + joint.routerParameters(), 0));
        }
        if (runs(Arm.TOKEN_ROUTER_INPUT)) {
            LoraMixer tokenInput = mixer(seed).routerInput(LoraMixer.RouterInput.TOKEN).build();
            for (int e = 0; e < stage1.numExperts(); e++) tokenInput.copyExpert(e, stage1, e);
            if (!trainRouter(tokenInput.routerStage(false), n, Mode.SOFT, seed)) return false;
            addRouted("LoRA-Mixer SBL, router on the token state only", tokenInput, stage1, seed, results);
        }
        return true;
    }

    /** The row of a router trained at the largest N on {@code experts}' adapters, scored top-k: "name top-k". */
    private void addRouted(String name, LoraMixer routed, LoraMixer experts, long seed, List<LoraMixerArmResult> results) {
        results.add(LoraMixerArmResult.of(name + " top-" + settings.topK(), seed, settings.largestN(), score(routed, Mode.TOP_K), routed.routerParameters(),
                experts.expertParameters() + routed.routerParameters(), 0));
    }

    // ------------------------------------------------------------------ stages

    /** A mixer around the shipped base with this study's sizes. */
    public LoraMixer.Builder mixer(long seed) {
        return LoraMixer.builder().base(base).experts(settings.experts()).rank(settings.rank()).alpha(settings.alpha()).topK(settings.topK())
                .balanceWeight(settings.balanceWeight()).entropyWeight(settings.entropyWeight()).routerInput(settings.routerInput()).placement(settings.placement()).seed(seed);
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

    /** One LoRA of the given rank, placed as the experts are, on the union of stage 1's data (every row routed to the single expert). */
    public LoraMixer trainMultiTask(int rank, long seed) {
        LoraMixer model = LoraMixer.builder().base(base).placement(settings.placement()).experts(1).rank(rank).alpha(settings.alpha() * rank / settings.rank())
                .topK(1).seed(seed).build().expertStage();
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
        Recipe recipe = Recipe.cosine(lr, 0f, (int) LearningRateSchedule.fivePercentWarmup(steps), lr / 10, 1f);
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
        return "LoraMixerExperiment(" + settings.tasks() + ", N " + settings.routerSizes() + ", seeds " + settings.seeds() + ", test " + Arrays.toString(new int[] {test.rows()}) + ")";
    }
}
