package org.moelab.train;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.data.MixLm4;
import org.moelab.data.Mqar;
import org.moelab.data.SeqTasks;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.experiments.CustomRun;
import org.moelab.experiments.LoraMixerBase;
import org.moelab.experiments.LoraMixerSettings;
import org.moelab.experiments.MomExperiment;
import org.moelab.experiments.MomSettings;
import org.moelab.experiments.RunSpec;
import org.moelab.models.EvoMoE;
import org.moelab.models.LoraMixer;
import org.moelab.models.CausalTransformer;
import org.moelab.models.ProMoE;
import org.moelab.models.SmoeDropout;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.Module;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Nd4jKernels;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Trains each paper's model (and the {@code %%moe} language model) for a few steps at its quick-preset sizes and
 * fingerprints the outcome: SHA-256 of every parameter's bits and of the loss sequence. {@link DeterminismTest} runs
 * it in child JVMs (fresh, with 1, 2 and 4 threads, interpreted) and compares the fingerprints.
 *
 * <p>{@code main(model..., --steps N, --repeat R, --kernels cpu|nd4j)} prints one line per run:
 * {@code model run fingerprint}.
 */
public final class DeterminismProbe {
    public static final List<String> MODELS = List.of("lm", "smoe-dropout", "evomoe", "mom", "lora-mixer", "promoe");

    private DeterminismProbe() {}

    /** Parameters' names and bits in state-dict order, the loss sequence's bits, and the parameters' bits alone, hashed. */
    public static String fingerprint(Map<String, float[]> state, float[] losses) {
        try {
            MessageDigest params = MessageDigest.getInstance("SHA-256"), values = MessageDigest.getInstance("SHA-256"),
                    loss = MessageDigest.getInstance("SHA-256");
            for (var e : state.entrySet()) {
                params.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                params.update(bytes(e.getValue()));
                values.update(bytes(e.getValue()));
            }
            loss.update(bytes(losses));
            HexFormat hex = HexFormat.of();
            // "values" leaves the names out, so a refactor that renames parameters can prove it kept every bit.
            return "params:" + hex.formatHex(params.digest()).substring(0, 16) + " losses:" + hex.formatHex(loss.digest()).substring(0, 16)
                    + " values:" + hex.formatHex(values.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (float f : v) b.putInt(Float.floatToRawIntBits(f));
        return b.array();
    }

    /** Trains {@code model} for {@code steps} steps with seed 7 and returns its fingerprint. */
    public static String run(String model, int steps) {
        return switch (model) {
            case "lm" -> lm(steps);
            case "smoe-dropout" -> smoeDropout(steps);
            case "evomoe" -> evoMoe(steps);
            case "mom" -> mom(steps);
            case "lora-mixer" -> loraMixer(steps);
            case "promoe" -> proMoe(steps);
            default -> throw new IllegalArgumentException("model: '" + model + "' is not one of " + MODELS);
        };
    }

    /** The {@code %%moe} cell's language model, through the same code path the magic uses (validation BPC included). */
    static String lm(int steps) {
        CustomRun.Result r = CustomRun.execute(RunSpec.parse("steps: " + steps + "\nrouter: topk\nexperts: 4\nk: 2\nbalance: 0.01\nseed: 7"));
        float[] losses = losses(r.run().history());
        float[] withBpc = java.util.Arrays.copyOf(losses, losses.length + 1);
        withBpc[losses.length] = (float) r.validationBpc();
        return fingerprint(r.model().stateDict(), withBpc);
    }

    /** SMoE-Dropout at the quick preset's sizes (bench suite smoe-step), the frozen router with its k schedule. */
    static String smoeDropout(int steps) {
        CharCorpus corpus = CharCorpus.shipped("tinytext");
        SmoeDropout model = SmoeDropout.builder().vocab(corpus.vocabSize()).layers(2).dModel(64).heads(4).context(64).experts(8)
                .hidden(256).kMin(2).scheduleSteps(steps).dropout(0.1f).seed(7).build();
        Rng data = new Rng(7).fork("data");
        // This probe trains at k = k_min throughout (it has always done so: it never ran the schedule), stated per pass.
        int k = model.kAt(0);
        return train(model.module(), steps, 2e-3f, step -> corpus.trainingBatch(data, step, 16, 64),
                (b, ctx) -> model.loss((Batch) b, RoutingContext.training(ctx.step(), ctx.rng()).withTopK(k)));
    }

    /** EvoMoE over all three phases within the run: dense phase A, spawning, the dense-to-sparse gate, then top-1. */
    static String evoMoe(int steps) {
        EvoMoE model = EvoMoE.builder().vocab(MixLm4.VOCAB).context(MixLm4.LENGTH).dModel(48).heads(4).layers(2).experts(4)
                .hidden(96).totalSteps(steps).phaseA(0.3f).sparse(0.4f).seed(7).build();
        MixLm4 task = new MixLm4(11);
        return train(model.module(), steps, 3e-3f, step -> task.trainingBatch(step, 16),
                (b, ctx) -> model.loss((Batch) b, RoutingContext.training(ctx.step(), ctx.rng())),
                (step, opt) -> model.beforeStep(step, opt));
    }

    /** MoM (4 memories, top-2, shared) in the MQAR recall model of notebook 02's quick preset. */
    static String mom(int steps) {
        MomExperiment recall = new MomExperiment(MomSettings.quick());
        CausalTransformer model = recall.model(MomExperiment.Arm.MOM, 7);
        Mqar task = recall.task();
        Rng data = new Rng(7).fork("mqar-train");
        return train(model, steps, 1e-2f, step -> task.generate(32, MomSettings.quick().trainPairs(), data.fork("step-" + step)),
                (b, ctx) -> {
                    Mqar.Batch m = (Mqar.Batch) b;
                    return MomExperiment.loss(model, m, null, RoutingContext.evaluation());
                });
    }

    /** LoRA-Mixer: half the steps stage 1 (oracle routing), half stage 2 in the joint regime (soft routing, L_preserve). */
    static String loraMixer(int steps) {
        LoraMixerSettings s = LoraMixerSettings.quick();
        LoraMixer model = LoraMixer.builder().base(LoraMixerBase.architecture(2507)).experts(s.experts()).rank(s.rank()).alpha(s.alpha())
                .topK(s.topK()).balanceWeight(s.balanceWeight()).entropyWeight(s.entropyWeight()).routerInput(s.routerInput())
                .routerLoss(LoraMixer.RouterLoss.SBL).preserveWeight(0.1f).seed(1).build();
        SeqTasks tasks = SeqTasks.builder().build();
        Rng data = new Rng(7).fork("data");
        List<Float> losses = new ArrayList<>();
        for (int stage = 1; stage <= 2; stage++) {
            boolean first = stage == 1;
            if (first) model.expertStage();
            else model.routerStage(true);
            Optimizer optimizer = AdamW.builder(model).learningRate(first ? s.stage1LearningRate() : s.routerLearningRate()).weightDecay(0f).build();
            for (int step = 0; step < steps / 2; step++) {
                SeqTasks.Batch b = tasks.generate(s.batch(), data.fork("stage" + stage + "-" + step));
                optimizer.zeroGrad();
                LoraMixer.Output out = model.forward(b.inputs(), b.rows(), b.length(), first ? LoraMixer.Mode.ORACLE : LoraMixer.Mode.SOFT, b.tasks());
                Tensor loss = model.taskLoss(out, b.targets(), b.rows(), b.length()).add(model.routerLoss(out, b.nonPadding()))
                        .add(model.preservationLoss());
                loss.backward();
                optimizer.step();
                losses.add(loss.item());
            }
        }
        return fingerprint(model.stateDict(), toArray(losses));
    }

    /** ProMoE (conditional + prototypical routing, RCL) on Shapes-10 at the notebook's quick sizes. */
    static String proMoe(int steps) {
        ProMoE model = ProMoE.builder().seed(7).build();
        Shapes10 data = new Shapes10(11);
        return train(model.module(), steps, 1e-3f, step -> data.next(32),
                (b, ctx) -> model.loss((LabelledImages) b, RoutingContext.training(ctx.step(), ctx.rng())));
    }

    interface Loss {
        Tensor apply(Object batch, StepContext ctx);
    }

    interface BeforeStep {
        void run(long step, Optimizer optimizer);
    }

    private static String train(Module model, int steps, float lr, LongFunction<Object> batches, Loss loss) {
        return train(model, steps, lr, batches, loss, null);
    }

    /** The Trainer with its defaults (AdamW, warm-up + cosine, clipping at 1), batches keyed by step. */
    private static String train(Module model, int steps, float lr, LongFunction<Object> batches, Loss loss, BeforeStep before) {
        Optimizer optimizer = AdamW.builder(model).learningRate(lr).weightDecay(0.01f).build();
        Trainer.Builder<Object> b = Trainer.<Object>builder(model, batches::apply, loss::apply).progress(false)
                .steps(steps).seed(7).optimizer(optimizer)
                .schedule(LearningRateSchedule.cosine(lr, Math.max(1, steps / 10), steps, 0f))
                .clipNorm(1f);
        if (before != null) b.beforeEachStep(step -> before.run(step, optimizer));
        Run run = b.fit();
        return fingerprint(model.stateDict(), losses(run.history()));
    }

    /** The losses as the history keeps them (doubles), narrowed to float bits. */
    private static float[] losses(History h) {
        double[] l = h.losses();
        float[] out = new float[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (float) l[i];
        return out;
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) a[i] = values.get(i);
        return a;
    }

    public static void main(String[] args) {
        int steps = 30, repeat = 2;
        List<String> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--kernels" -> {
                    String k = args[++i];
                    if (k.equals("nd4j")) Kernels.use(new Nd4jKernels());
                    else if (!k.equals("cpu")) throw new IllegalArgumentException("--kernels: '" + k + "' is not cpu or nd4j");
                }
                default -> models.add(args[i]);
            }
        }
        if (models.isEmpty()) models.addAll(MODELS);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String m : models) {
            for (int r = 0; r < repeat; r++) {
                String f = run(m, steps);
                out.computeIfAbsent(m, k -> new ArrayList<>()).add(f);
                System.out.println("probe " + m + " " + r + " " + f);
            }
        }
    }
}
