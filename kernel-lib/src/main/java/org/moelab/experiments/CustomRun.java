package org.moelab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.models.CausalTransformer;
import org.moelab.moe.DenseToSparseGate;
import org.moelab.moe.ExpertChoiceRouter;
import org.moelab.moe.Experts;
import org.moelab.moe.HashRouter;
import org.moelab.moe.MoELayer;
import org.moelab.moe.PrototypeRouter;
import org.moelab.moe.Router;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.RoutingContrastiveLoss;
import org.moelab.moe.SwitchRouter;
import org.moelab.moe.TopKRouter;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Module;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;
import org.moelab.train.AdamW;
import org.moelab.train.LearningRateSchedule;
import org.moelab.train.Run;
import org.moelab.train.StepSchedule;
import org.moelab.train.Trainer;
import org.moelab.viz.Better;
import org.moelab.viz.Curves;
import org.moelab.viz.HeatMaps;

/**
 * What a {@code %%moe model: lm} cell runs: any router in the shared MoE language model on a character task, trained
 * with the shared trainer (the DTS gate's temperature annealed as {@link #annealDenseToSparse} says). The cross-paper swap no reference implementation offers, in one configuration block.
 */
public final class CustomRun {
    private CustomRun() {}

    /** The trained model, its run and its validation bits per character. */
    public record Result(RunSpec spec, CausalTransformer model, CharCorpus corpus, Run run, double validationBpc, List<int[]> tokensPerExpert)
            implements ExperimentRunner.ArmRun<String> {
        /** The router is this run's arm. */
        @Override
        public String arm() {
            return spec.get("router");
        }

        @Override
        public long seed() {
            return spec.longValue("seed");
        }

        /** A table of the outcome, the loss curve and (for MoE routers) the expert load per layer. */
        public ExperimentReport report() {
            ResultsTable table = ResultsTable.builder("router", "experts", "k", "steps", "parameters", "train s", "valid BPC", "status")
                    .row(spec.get("router"), spec.intValue("experts"), spec.intValue("k"), run.stepsDone(), model.numParameters(),
                            run.wallSeconds(), validationBpc, run.status().toString())
                    .build();
            Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
            charts.put("loss", Curves.builder("Training loss").xTitle("step").yTitle("cross-entropy (nats)", Better.LOWER).smoothing(0.9)
                    .add(spec.get("router"), run.history().stepNumbers(), run.history().losses()).build());
            if (!tokensPerExpert.isEmpty()) {
                double[][] load = new double[tokensPerExpert.size()][];
                List<String> rows = new ArrayList<>(), cols = new ArrayList<>();
                for (int l = 0; l < load.length; l++) {
                    int[] c = tokensPerExpert.get(l);
                    double total = Arrays.stream(c).sum();
                    load[l] = Arrays.stream(c).mapToDouble(v -> v / Math.max(1, total)).toArray();
                    rows.add("layer " + l);
                }
                for (int e = 0; e < load[0].length; e++) cols.add("E" + e);
                charts.put("load", HeatMaps.builder("Share of routed tokens per expert (last validation batch)", load)
                        .rowLabels(rows).columnLabels(cols).valuePattern("0.00").build());
            }
            return new ExperimentReport("%%moe run: " + spec.values(), Map.of("result", table), charts, null);
        }
    }

    public static Result execute(RunSpec spec) {
        long seed = spec.longValue("seed");
        CharCorpus corpus = "markov".equals(spec.get("task"))
                ? CharCorpus.generated(new Rng(seed).fork("corpus"), 300_000, 4) : CharCorpus.shipped("tinytext");
        int batch = spec.intValue("batch"), context = spec.intValue("context"), steps = spec.intValue("steps");
        int experts = spec.intValue("experts"), k = spec.intValue("k");
        String routerKind = spec.get("router");
        CausalTransformer model = CausalTransformer.moeLanguageModel(corpus.vocabSize(), spec.intValue("dModel"), spec.intValue("heads"),
                spec.intValue("layers"), context, (float) spec.doubleValue("dropout"),
                (layer, d, rng) -> slot(spec, routerKind, corpus.vocabSize(), d, rng), new Rng(seed).fork("init"));
        var kSchedule = "none".equals(spec.get("kSchedule")) ? null : StepSchedule.rounded(StepSchedule.of(
                StepSchedule.Shape.valueOf(spec.get("kSchedule").toUpperCase()), spec.intValue("kMin"), k, steps), spec.intValue("kMin"), k);
        float balance = (float) spec.doubleValue("balance");
        float lr = (float) spec.doubleValue("lr");
        Trainer.Builder<Batch> trainer = Trainer.builder(model,
                        step -> corpus.trainingBatch(new Rng(seed).fork("data"), step, batch, context),
                        (Batch b, org.moelab.train.StepContext ctx) -> {
                            RoutingContext pass = RoutingContext.training(ctx.step(), ctx.rng());
                            if (kSchedule != null) pass = pass.withTopK(kSchedule.applyAsInt(ctx.step()));
                            Tensor loss = model.loss(b, pass);
                            return balance > 0 ? loss.add(model.auxLoss(pass, balance, 0f)) : loss;
                        })
                .label("%%moe " + routerKind + (experts > 1 && !"dense".equals(routerKind) ? " N=" + experts + " k=" + k : ""))
                .steps(steps).seed(seed)
                .optimizer(AdamW.builder(model).learningRate(lr).weightDecay(0.01f).build())
                .schedule(LearningRateSchedule.cosine(lr, Math.max(1, steps / 20), Math.max(2, steps), 0f))
                .tokensPerBatch(Batch::positions)
                .config(spec.values());
        if ("dts".equals(routerKind)) trainer.beforeEachStep(step -> annealDenseToSparse(model, step, steps));
        Run run = trainer.fit();
        if (run.status() == org.moelab.train.RunStatus.INTERRUPTED) {
            // Return at once with what was trained: the kernel force-stops a cell that outlives its stop grace, and a
            // stopped cell would bind nothing (%%moe --as). Not evaluated: the report says so (valid BPC NaN).
            return new Result(spec, model, corpus, run, Double.NaN, List.of());
        }
        List<Batch> validation = corpus.validationBatches(batch, context);
        List<Batch> evaluated = validation.subList(0, Math.min(validation.size(), 24));
        // evaluated at the k of the last step trained (the schedule's k owner is this run, not the routers)
        int kEval = kSchedule == null ? 0 : kSchedule.applyAsInt(Math.max(0, run.stepsDone() - 1));
        double bpc = model.bitsPerChar(evaluated, kEval);
        RoutingContext last = kEval > 0 ? RoutingContext.evaluation().withTopK(kEval) : RoutingContext.evaluation();
        model.evaluate(() -> model.loss(evaluated.get(evaluated.size() - 1), last));
        List<int[]> load = new ArrayList<>();
        for (Routing r : last.recorder().of(model.moeLayers())) load.add(r.tokensPerExpert());
        return new Result(spec, model, corpus, run, bpc, load);
    }

    /**
     * EvoMoE's DTS schedule without its phase A (the lm starts sparse-capable): τ falls linearly from
     * {@value #TAU_MAX} to {@value #TAU_MIN} over the first half of training, then the gate turns hard (noisy top-1).
     */
    private static void annealDenseToSparse(CausalTransformer model, long step, int steps) {
        int sparseEnd = Math.max(1, steps / 2);
        for (MoELayer layer : model.moeLayers()) {
            if (layer.router() instanceof DenseToSparseGate gate) {
                gate.setTemperature((float) (TAU_MAX + (TAU_MIN - TAU_MAX) * Math.min(1.0, (double) step / sparseEnd)));
                gate.setHard(step >= sparseEnd);
            }
        }
    }

    private static final double TAU_MAX = 2.0, TAU_MIN = 0.3;

    private static Module slot(RunSpec spec, String kind, int vocab, int d, Rng rng) {
        int experts = spec.intValue("experts"), hidden = spec.intValue("hidden");
        if ("dense".equals(kind)) return new FeedForward(d, hidden, FeedForward.Activation.GELU, rng);
        int k = "none".equals(spec.get("kSchedule")) ? spec.intValue("k") : spec.intValue("kMin");
        float capacity = (float) spec.doubleValue("capacity");
        Router router = switch (kind) {
            case "topk" -> TopKRouter.learned(d, experts, k, 0f, capacity, rng);
            case "frozen" -> TopKRouter.frozenRandom(d, experts, k, rng);
            case "hash" -> new HashRouter(vocab, experts, rng);
            case "expert-choice" -> new ExpertChoiceRouter(d, experts, capacity > 0 ? capacity : 1f, rng);
            case "switch" -> new SwitchRouter(d, experts, capacity, rng);
            case "dts" -> new DenseToSparseGate(d, experts, rng);
            // ProMoE's prototypical top-1 routing; its contrastive loss needs the image model's weighting, so it is off
            case "prototype" -> new PrototypeRouter(d, experts, 1f, PrototypeRouter.GateActivation.IDENTITY, false,
                    RoutingContrastiveLoss.DEFAULT_TEMPERATURE, rng);
            default -> throw new IllegalArgumentException("%%moe: unknown router '" + kind + "'");
        };
        return new MoELayer(router, Experts.splitting(hidden, experts, d, Unary.GELU, rng));
    }
}
