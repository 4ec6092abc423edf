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
import org.moelab.data.Mqar;
import org.moelab.experiments.MomRecall;
import org.moelab.experiments.MomRecallMain;
import org.moelab.models.MixerLanguageModel;
import org.moelab.nn.CausalTransformer;
import org.moelab.nn.Module;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.GradClipping;
import org.moelab.train.LearningRateSchedule;

/**
 * The Java half of the training-trajectory cross-check ({@code bench/run --suites trajectory}, issue 13). For one
 * model with a PyTorch mirror it writes a JSON file with the model's configuration, its <b>initial</b> weights
 * (state dict), the first N batches it trains on, the optimiser settings, and the per-step loss and gradient norm
 * of N Java training steps. {@code bench/pytorch/trajectory.py} loads the same weights into the mirror, trains it
 * on the same batches with {@code torch.optim.AdamW} and compares the two loss curves.
 *
 * <p>Protocol: AdamW (betas 0.9/0.999, eps 1e-8, decoupled weight decay on rank ≥ 2 parameters whose name does
 * not end in "bias", as {@code WeightDecayPolicy.MATRICES_ONLY}), no dropout; either a constant learning rate and
 * no clipping (the plain protocol) or, for the MQAR models, the recall study's own recipe (linear warm-up over 5%,
 * cosine to 0, clip at global norm 1) so that the check covers exactly what the study runs.
 *
 * <p>Usage: {@code Trajectory MODEL STEPS LR OUT.json [recipe]} with MODEL one of {@link #MODELS}.
 */
public final class Trajectory {
    /** The models this tool exports. */
    public static final List<String> MODELS = List.of("mqar-gdn", "mqar-la", "mqar-mom", "lm");

    private Trajectory() {}

    /** What one model contributes: module, config, batches (as JSON fragments) and the loss of batch i. */
    interface Case {
        Module module();

        Map<String, Object> config();

        /** Batch i as a JSON object (the PyTorch side decodes it). */
        String batchJson(int i);

        Tensor loss(int i);
    }

    static Case mqar(String name, MomRecall.Arm arm, int steps, float lr) {
        MomRecall study = new MomRecall(MomRecallMain.zoologyRegime(lr, steps, List.of(11L), List.of(arm)));
        var s = study.settings();
        MixerLanguageModel model = study.model(arm, 11L);
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

            public String batchJson(int i) {
                Mqar.Batch b = batches.get(i);
                return "{\"inputs\": " + ints(b.inputs()) + ", \"positions\": " + ints(b.queryPositions()) + ", \"targets\": " + ints(b.queryTargets()) + "}";
            }

            public Tensor loss(int i) {
                Mqar.Batch b = batches.get(i);
                return model.loss(b.inputs(), b.rows(), b.length(), b.queryPositions(), b.queryTargets(), null);
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

            public String batchJson(int i) {
                return "{\"tokens\": " + ints(batches.get(i)[0]) + ", \"targets\": " + ints(batches.get(i)[1]) + "}";
            }

            public Tensor loss(int i) {
                return model.loss(batches.get(i)[0], batches.get(i)[1], batch, time);
            }
        };
    }

    static Case of(String model, int steps, float lr) {
        return switch (model) {
            case "mqar-gdn" -> mqar(model, MomRecall.Arm.GATED_DELTANET, steps, lr);
            case "mqar-la" -> mqar(model, MomRecall.Arm.LINEAR_ATTENTION, steps, lr);
            case "mqar-mom" -> mqar(model, MomRecall.Arm.MOM, steps, lr);
            case "lm" -> lm(steps);
            default -> throw new IllegalArgumentException("Trajectory: unknown model '" + model + "' (" + MODELS + ")");
        };
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
        m.namedParameters().forEach((n, t) -> shapes.put(n, t.shape()));
        boolean recall = recipe.equals("recall");
        AdamW opt = AdamW.builder(m).learningRate(lr).weightDecay(weightDecay).build();
        LearningRateSchedule schedule = recall ? LearningRateSchedule.cosine(lr, Math.max(1, steps / 20), steps, 0f) : LearningRateSchedule.constant(lr);
        float clip = recall ? 1f : 0f;
        double[] loss = new double[steps], gradNorm = new double[steps];
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Tensor l = c.loss(i);
            l.backward();
            loss[i] = l.item();
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
            w.write("},\n\"state\": {");
            first = true;
            for (var e : initial.entrySet()) {
                w.write((first ? "" : ",\n") + "\"" + e.getKey() + "\": " + floats(e.getValue()));
                first = false;
            }
            w.write("},\n\"java\": {\"loss\": " + doubles(loss) + ", \"gradNorm\": " + doubles(gradNorm) + "},\n\"batches\": [");
            for (int i = 0; i < steps; i++) w.write((i == 0 ? "" : ",\n") + c.batchJson(i));
            w.write("]}\n");
        }
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
