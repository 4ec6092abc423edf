package org.moelab.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.data.MixLm4;
import org.moelab.data.Mqar;
import org.moelab.data.SeqTasks;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.experiments.MomExperiment;
import org.moelab.experiments.MomExperimentMain;
import org.moelab.experiments.LoraMixerSettings;
import org.moelab.models.EvoMoE;
import org.moelab.models.LoraMixer;
import org.moelab.models.CausalTransformer;
import org.moelab.models.MoM;
import org.moelab.models.ProMoE;
import org.moelab.models.SmoeDropout;
import org.moelab.moe.Assignments;
import org.moelab.moe.DenseToSparseGate;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.Module;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.GradClipping;
import org.moelab.train.LearningRateSchedule;
import org.moelab.train.Optimizer;

/**
 * The Java half of the training-trajectory cross-check ({@code bench/run --suites trajectory}, issue 13). For one
 * model with a PyTorch mirror it writes a JSON file with the model's configuration, its <b>initial</b> weights
 * (state dict, and which parameters are frozen), the first N batches it trains on together with every random draw a
 * step makes (so that the mirror replays them rather than drawing its own), the optimiser settings, and per step of
 * N Java training steps: the loss, the global and per-parameter gradient norms, and a checksum of each routed
 * layer's expert choices. {@code bench/pytorch/trajectory.py} loads the same weights into the mirror, trains it on
 * the same batches with {@code torch.optim.AdamW} and compares the two loss curves up to the first routing flip.
 *
 * <p>Protocol: AdamW (betas 0.9/0.999, eps 1e-8, decoupled weight decay on rank ≥ 2 parameters whose name does
 * not end in "bias", as {@code WeightDecayPolicy.MATRICES_ONLY}), no dropout; either a constant learning rate and
 * no clipping (the plain protocol) or, for the MQAR models, the recall study's own recipe (linear warm-up over 5%,
 * cosine to 0, clip at global norm 1) so that the check covers exactly what the study runs.
 *
 * <p>Usage: {@code Trajectory MODEL[,MODEL...] STEPS LR OUT_DIR [recipe [weightDecay]]} with MODEL one of
 * {@link #MODELS}.
 */
public final class Trajectory {
    /** The models this tool exports. */
    public static final List<String> MODELS = List.of("mqar-gdn", "mqar-la", "mqar-mom", "lm", "moe-lm", "smoe-dropout", "evomoe",
            "lora-mixer-oracle", "lora-mixer-soft", "promoe");

    /** Seed of every step's randomness: pass i draws from {@code new Rng(STEP_SEED).fork("step-" + i)}. */
    static final long STEP_SEED = 13;

    private Trajectory() {}

    /** One training step of a case: its loss, and what the mirror needs to replay it (batch, random draws) as JSON. */
    record Step(Tensor loss, String json) {}

    /** What one model contributes: module, config and its steps. */
    interface Case {
        Module module();

        Map<String, Object> config();

        /** Step i on the training pass {@code pass} (its rng is step i's randomness, its recorder sees the routings). */
        Step step(int i, RoutingContext pass);

        /** Before step i's forward: phase or temperature changes the model makes during training. */
        default void beforeStep(int i, Optimizer optimizer) {}

        /**
         * The discrete routing decisions of step i's forward, one checksum per routed layer (see {@link #checksum}),
         * so that the mirror can say at which step its first expert choice differs from ours. Default: the MoE layers
         * that recorded into the pass.
         */
        default long[] routingChecksums(RoutingContext pass) {
            List<Routing> routings = pass.recorder().routings();
            long[] out = new long[routings.size()];
            for (int l = 0; l < out.length; l++) {
                Assignments a = routings.get(l).assignments();
                int[] token = new int[a.size()], expert = new int[a.size()];
                for (int i = 0; i < token.length; i++) {
                    token[i] = a.token(i);
                    expert[i] = a.expert(i);
                }
                out[l] = checksum(token, expert);
            }
            return out;
        }
    }

    /**
     * Σ (token + 1)·(expert + 1) over the (token, expert) pairs of a routing: independent of pair order, and moving one
     * token to another expert always changes it, so the first step where the two sides' checksums differ is the first
     * routing flip (two flips that cancel exactly are possible but would only delay the report by a step or so).
     */
    static long checksum(int[] token, int[] expert) {
        long sum = 0;
        for (int i = 0; i < token.length; i++) sum += (long) (token[i] + 1) * (expert[i] + 1);
        return sum;
    }

    static Case mqar(String name, MomExperiment.Arm arm, int steps, float lr) {
        MomExperiment study = new MomExperiment(MomExperimentMain.zoologyRegime(lr, steps, List.of(11L), List.of(arm)));
        var s = study.settings();
        CausalTransformer model = study.model(arm, 11L);
        Rng data = new Rng(11L).fork("mqar-train");
        List<Mqar.Batch> batches = new ArrayList<>();
        for (int i = 0; i < steps; i++) batches.add(study.task().generate(s.batch(), s.trainPairs(), data.fork("step-" + i)));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("arm", arm.name());
        cfg.put("vocab", s.vocab());
        cfg.put("length", s.length());
        cfg.put("dModel", s.dModel());
        cfg.put("layers", s.layers());
        cfg.put("heads", s.heads());
        cfg.put("headDim", s.headDim());
        cfg.put("memories", s.memories());
        cfg.put("topK", s.topK());
        cfg.put("batch", s.batch());
        return new Case() {
            public Module module() { return model; }

            public Map<String, Object> config() { return cfg; }

            public Step step(int i, RoutingContext pass) {
                Mqar.Batch b = batches.get(i);
                Tensor loss = MomExperiment.loss(model, b, null, pass);
                return new Step(loss, "{\"inputs\": " + ints(b.inputs()) + ", \"positions\": " + ints(b.queryPositions()) + ", \"targets\": " + ints(b.queryTargets()) + "}");
            }

            /** Each MoM layer's memory choices per token, as recorded in the step's pass. */
            public long[] routingChecksums(RoutingContext pass) {
                List<MoM> layers = model.sublayers(MoM.class);
                long[] out = new long[layers.size()];
                for (int l = 0; l < out.length; l++) {
                    int[][] selected = MoM.selection(pass.recorder().of(layers.get(l)));
                    int tokens = selected.length;
                    int k = selected[0].length;
                    int[] token = new int[tokens * k], memory = new int[tokens * k];
                    for (int t = 0; t < tokens; t++) {
                        for (int j = 0; j < k; j++) {
                            token[t * k + j] = t;
                            memory[t * k + j] = selected[t][j];
                        }
                    }
                    out[l] = checksum(token, memory);
                }
                return out;
            }
        };
    }

    /** lm-small of the bench (2 layers, d 64, 4 heads, T 64, batch 32, vocab 128) on fresh random token rows per step. */
    static Case lm(int steps) {
        int layers = 2, d = 64, heads = 4, time = 64, batch = 32, vocab = 128;
        CausalTransformer model = CausalTransformer.builder().vocab(vocab).dModel(d).heads(heads).layers(layers).maxLen(time).seed(7).build();
        // A learnable stream: each row is a random walk on a fixed sparse transition table (4 successors per token).
        Rng rng = new Rng(11);
        int[][] next = new int[vocab][4];
        for (int[] r : next) for (int j = 0; j < 4; j++) r[j] = rng.nextInt(vocab);
        List<int[][]> batches = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int[] tokens = new int[batch * time], targets = new int[batch * time];
            for (int b = 0; b < batch; b++) {
                int prev = rng.nextInt(vocab);
                for (int t = 0; t < time; t++) {
                    int nxt = next[prev][rng.nextInt(4)];
                    tokens[b * time + t] = prev;
                    targets[b * time + t] = nxt;
                    prev = nxt;
                }
            }
            batches.add(new int[][] {tokens, targets});
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("vocab", vocab);
        cfg.put("dModel", d);
        cfg.put("heads", heads);
        cfg.put("layers", layers);
        cfg.put("time", time);
        cfg.put("batch", batch);
        return new Case() {
            public Module module() { return model; }

            public Map<String, Object> config() { return cfg; }

            public Step step(int i, RoutingContext pass) {
                int[] tokens = batches.get(i)[0], targets = batches.get(i)[1];
                return new Step(model.loss(tokens, targets, batch, time), "{\"tokens\": " + ints(tokens) + ", \"targets\": " + ints(targets) + "}");
            }
        };
    }

    /** A character-LM batch of the shipped corpus or of MixLM-4 as the mirror reads it ({@code extra}: more fields). */
    static String tokenBatchJson(Batch b, String extra) {
        return "{\"tokens\": " + ints(b.inputs()) + ", \"targets\": " + ints(b.targets()) + extra + "}";
    }

    /**
     * The MoE language model (CausalTransformer.moeLanguageModel) with a learned top-k router, or SMoE-Dropout's frozen random router
     * with its k schedule growing k from 2 to N over the N steps (each step's k goes to the mirror). Residual
     * dropout 0 (the protocol); the learned router has the Switch balance loss at weight 0.01.
     */
    static Case smoe(SmoeDropout.Arm arm, int steps) {
        CharCorpus corpus = CharCorpus.shipped("tinytext");
        int layers = 2, d = 48, heads = 4, context = 32, batch = 16, experts = arm == SmoeDropout.Arm.LEARNED ? 4 : 8, hidden = 192;
        int k = 2;
        float balance = arm == SmoeDropout.Arm.LEARNED ? 0.01f : 0f;
        SmoeDropout model = SmoeDropout.builder().arm(arm).vocab(corpus.vocabSize()).layers(layers).dModel(d).heads(heads).context(context)
                .experts(experts).hidden(hidden).kMin(k).fixedK(k).scheduleSteps(steps).dropout(0f).balanceWeight(balance).seed(7).build();
        Rng data = new Rng(7).fork("data");
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("arm", arm.name());
        cfg.put("vocab", corpus.vocabSize());
        cfg.put("dModel", d);
        cfg.put("heads", heads);
        cfg.put("layers", layers);
        cfg.put("context", context);
        cfg.put("batch", batch);
        cfg.put("experts", experts);
        cfg.put("hidden", hidden);
        cfg.put("balance", balance);
        return new Case() {
            public Module module() { return model.module(); }

            public Map<String, Object> config() { return cfg; }

            public Step step(int i, RoutingContext pass) {
                Batch b = corpus.trainingBatch(data, i, batch, context);
                return new Step(model.loss(b, pass), tokenBatchJson(b, ", \"k\": " + model.kAt(i)));
            }
        };
    }

    /**
     * EvoMoE's phase B on MixLM-4: the experts are spawned (masked copies of expert 0) before step 0, so the exported
     * weights are the spawned ones, and step i is EvoMoE's step T_A + i (phase A, a dense LM, is what "lm" checks);
     * the dense-to-sparse gate anneals τ from 2 to 0.3 over the first 62.5% of the N steps, then routes noisy top-1. Its Gumbel noise is the step's draw from the pass rng (the gate is the pass's only
     * consumer of it); the same draw, τ and the hard flag go to the mirror with each batch.
     */
    static Case evoMoe(int steps) {
        int batch = 16, experts = 4;
        EvoMoE model = EvoMoE.builder().vocab(MixLm4.VOCAB).context(MixLm4.LENGTH).dModel(48).heads(4).layers(2).experts(experts)
                .hidden(96).totalSteps(Math.round(steps / 0.8)).phaseA(0.2f).sparse(0.5f).seed(7).build();
        long phaseB = model.phaseAEnd();
        model.spawn(null);
        MixLm4 task = new MixLm4(11);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("vocab", MixLm4.VOCAB);
        cfg.put("context", MixLm4.LENGTH);
        cfg.put("dModel", 48);
        cfg.put("heads", 4);
        cfg.put("experts", experts);
        cfg.put("hidden", 96);
        cfg.put("batch", batch);
        return new Case() {
            public Module module() { return model.module(); }

            public Map<String, Object> config() { return cfg; }

            public void beforeStep(int i, Optimizer optimizer) {
                model.beforeStep(phaseB + i, optimizer);
            }

            public Step step(int i, RoutingContext pass) {
                Batch b = task.trainingBatch(i, batch);
                Tensor noise = DenseToSparseGate.gumbelNoise(stepRng(i), b.positions(), experts);
                String extra = String.format(Locale.ROOT, ", \"tau\": %.9g, \"hard\": %b, \"noise\": %s", model.temperatureAt(phaseB + i),
                        model.phaseAt(phaseB + i).equals("B-top-1"), floats(noise.data()));
                return new Step(model.loss(b, pass), tokenBatchJson(b, extra));
            }
        };
    }

    /**
     * LoRA-Mixer at the quick preset around its frozen base: "oracle" trains the experts with each row's task as the
     * routing (stage 1) from their initialisation (B = 0); "soft" trains the routers (stage 2, every expert weighted
     * by the router's softmax, the SBL router loss) from the experts that {@code steps} oracle steps made (trained
     * here, not compared: stage 2 from B = 0 would have no gradient to route by).
     */
    static Case loraMixer(boolean oracle, int steps) {
        LoraMixerSettings s = LoraMixerSettings.quick();
        LoraMixer model = LoraMixerBenchmarks.model(s);
        SeqTasks tasks = SeqTasks.builder().build();
        Rng data = new Rng(7).fork("data");
        if (!oracle) {
            model.expertStage();
            Optimizer stage1 = AdamW.builder(model).learningRate(s.stage1LearningRate()).weightDecay(0f).build();
            for (int i = 0; i < steps; i++) {
                SeqTasks.Batch b = tasks.generate(s.batch(), data.fork("stage1-" + i));
                stage1.zeroGrad();
                model.taskLoss(model.forward(b.inputs(), b.rows(), b.length(), LoraMixer.Mode.ORACLE, b.tasks()), b.targets(), b.rows(), b.length()).backward();
                stage1.step();
            }
            // The last stage-1 gradients would stay on the experts once they are frozen and count in every stage-2
            // gradient norm (the norm is over all parameters that hold a gradient, as PyTorch's clip_grad_norm_).
            stage1.zeroGrad();
            model.routerStage(false);
        } else {
            model.expertStage();
        }
        LoraMixer.Mode mode = oracle ? LoraMixer.Mode.ORACLE : LoraMixer.Mode.SOFT;
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("mode", mode.name());
        cfg.put("experts", s.experts());
        cfg.put("rank", s.rank());
        cfg.put("alpha", s.alpha());
        return new Case() {
            public Module module() { return model; }

            public Map<String, Object> config() { return cfg; }

            public Step step(int i, RoutingContext pass) {
                SeqTasks.Batch b = tasks.generate(s.batch(), data.fork("trajectory-" + i));
                LoraMixer.Output out = model.forward(b.inputs(), b.rows(), b.length(), mode, b.tasks());
                Tensor loss = model.taskLoss(out, b.targets(), b.rows(), b.length()).add(model.routerLoss(out, b.nonPadding()));
                return new Step(loss, "{\"inputs\": " + ints(b.inputs()) + ", \"targets\": " + ints(b.targets()) + ", \"tasks\": " + ints(b.tasks())
                        + ", \"rows\": " + b.rows() + ", \"length\": " + b.length() + "}");
            }
        };
    }

    /** ProMoE (the bench's quick-preset DiT) on Shapes-10; each step's label dropout, σ and noise go to the mirror. */
    static Case proMoe(int steps) {
        ProMoE model = ProMoE.builder().seed(7).build();
        Shapes10 data = new Shapes10(11);
        int batch = 32;
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("batch", batch);
        cfg.put("imageSize", Shapes10.SIZE);
        return new Case() {
            public Module module() { return model.module(); }

            public Map<String, Object> config() { return cfg; }

            public Step step(int i, RoutingContext pass) {
                LabelledImages images = data.next(batch);
                ProMoE.FlowDraws draws = model.draw(images, pass.rng());
                Tensor loss = model.lossTerms(images, draws, pass).total();
                return new Step(loss, "{\"x0\": " + floats(images.pixels()) + ", \"labels\": " + ints(draws.labels()) + ", \"sigma\": "
                        + floats(draws.sigma()) + ", \"noise\": " + floats(draws.noise().data()) + "}");
            }
        };
    }

    static Case of(String model, int steps, float lr) {
        return switch (model) {
            case "mqar-gdn" -> mqar(model, MomExperiment.Arm.GATED_DELTANET, steps, lr);
            case "mqar-la" -> mqar(model, MomExperiment.Arm.LINEAR_ATTENTION, steps, lr);
            case "mqar-mom" -> mqar(model, MomExperiment.Arm.MOM, steps, lr);
            case "lm" -> lm(steps);
            case "moe-lm" -> smoe(SmoeDropout.Arm.LEARNED, steps);
            case "smoe-dropout" -> smoe(SmoeDropout.Arm.SMOE_DROPOUT, steps);
            case "evomoe" -> evoMoe(steps);
            case "lora-mixer-oracle" -> loraMixer(true, steps);
            case "lora-mixer-soft" -> loraMixer(false, steps);
            case "promoe" -> proMoe(steps);
            default -> throw new IllegalArgumentException("Trajectory: unknown model '" + model + "' (" + MODELS + ")");
        };
    }

    /** Step i's randomness (one stream per step, so that a step's draws do not depend on the steps before it). */
    static Rng stepRng(int i) {
        return new Rng(STEP_SEED).fork("step-" + i);
    }

    /**
     * Trains {@code steps} steps and writes everything to {@code out}. {@code recipe}: "plain" (constant lr, no
     * clipping) or "recall" (the MQAR study's warm-up + cosine + clip 1).
     */
    public static void export(String model, int steps, float lr, float weightDecay, String recipe, Path out) throws IOException {
        Case c = of(model, steps, lr);
        Module m = c.module();
        LinkedHashMap<String, float[]> initial = m.stateDict();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<String> frozen = new ArrayList<>();
        m.namedParameters().forEach((n, t) -> {
            shapes.put(n, t.shape());
            if (!t.requiresGrad()) frozen.add(n);
        });
        boolean recall = recipe.equals("recall");
        AdamW opt = AdamW.builder(m).learningRate(lr).weightDecay(weightDecay).build();
        LearningRateSchedule schedule = recall ? LearningRateSchedule.cosine(lr, Math.max(1, steps / 20), steps, 0f) : LearningRateSchedule.constant(lr);
        float clip = recall ? 1f : 0f;
        double[] loss = new double[steps], gradNorm = new double[steps];
        List<String> batches = new ArrayList<>(), routing = new ArrayList<>(), paramGradNorms = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            c.beforeStep(i, opt);
            opt.zeroGrad();
            RoutingContext pass = RoutingContext.training(i, stepRng(i));
            Step step = c.step(i, pass);
            step.loss().backward();
            loss[i] = step.loss().item();
            batches.add(step.json());
            routing.add(longs(c.routingChecksums(pass)));
            paramGradNorms.add(floats(gradNorms(m)));
            gradNorm[i] = clip > 0 ? GradClipping.clipGlobalNorm(m, clip) : GradClipping.clipGlobalNorm(m, Float.MAX_VALUE);
            schedule.applyTo(opt, i);
            opt.step();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("{\"model\": \"" + model + "\", \"steps\": " + steps + ", \"javaSeconds\": " + String.format(Locale.ROOT, "%.2f", seconds) + ",\n");
            w.write("\"config\": {");
            boolean first = true;
            for (var e : c.config().entrySet()) {
                w.write((first ? "" : ", ") + "\"" + e.getKey() + "\": " + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()));
                first = false;
            }
            w.write("},\n\"optim\": {\"lr\": " + lr + ", \"weightDecay\": " + weightDecay + ", \"betas\": [0.9, 0.999], \"eps\": 1e-8, \"recipe\": \"" + recipe
                    + "\", \"warmup\": " + Math.max(1, steps / 20) + ", \"clip\": " + clip + "},\n\"shapes\": {");
            first = true;
            for (var e : shapes.entrySet()) {
                w.write((first ? "" : ", ") + "\"" + e.getKey() + "\": " + ints(e.getValue()));
                first = false;
            }
            w.write("},\n\"frozen\": [");
            for (int i = 0; i < frozen.size(); i++) w.write((i == 0 ? "\"" : ", \"") + frozen.get(i) + "\"");
            w.write("],\n\"state\": {");
            first = true;
            for (var e : initial.entrySet()) {
                w.write((first ? "" : ",\n") + "\"" + e.getKey() + "\": " + floats(e.getValue()));
                first = false;
            }
            w.write("},\n\"java\": {\"loss\": " + doubles(loss) + ", \"gradNorm\": " + doubles(gradNorm) + ", \"routing\": " + routing
                    + ",\n\"paramGradNorms\": " + paramGradNorms + "},\n\"batches\": [");
            for (int i = 0; i < steps; i++) w.write((i == 0 ? "" : ",\n") + batches.get(i));
            w.write("]}\n");
        }
    }

    /**
     * Each parameter's gradient L2 norm before clipping, in {@code namedParameters} order (0 without a gradient): where
     * the loss curves part, the mirror names the parameter whose gradient parted first.
     */
    static float[] gradNorms(Module m) {
        List<Tensor> params = new ArrayList<>(m.namedParameters().values());
        float[] out = new float[params.size()];
        for (int i = 0; i < out.length; i++) {
            Tensor g = params.get(i).grad();
            double sum = 0;
            if (g != null) for (float v : g.data()) sum += (double) v * v;
            out[i] = (float) Math.sqrt(sum);
        }
        return out;
    }

    static String longs(long[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.append(']').toString();
    }

    static String ints(int[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.append(']').toString();
    }

    static String floats(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
        return sb.append(']').toString();
    }

    static String doubles(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9g", v[i]));
        return sb.append(']').toString();
    }

    /** {@code Trajectory MODEL[,MODEL...] STEPS LR OUT_DIR [recipe [weightDecay]]}: one OUT_DIR/MODEL.json per model. */
    public static void main(String[] args) throws IOException {
        int steps = Integer.parseInt(args[1]);
        float lr = Float.parseFloat(args[2]);
        String recipe = args.length > 4 ? args[4] : "plain";
        float wd = args.length > 5 ? Float.parseFloat(args[5]) : 0.01f;
        for (String model : args[0].split(",")) {
            Path out = Path.of(args[3], model + ".json");
            export(model, steps, lr, wd, recipe, out);
            System.out.println("trajectory: wrote " + out);
        }
    }
}
