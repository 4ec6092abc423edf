package org.moelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One training step of {@link TrainStepBenchmark}'s causal transformer LM on DJL: the model of
 * {@code bench/pytorch/train_step.py} written with DJL NDArray ops (token embedding + learned positions; pre-norm
 * blocks with separate q, k, v, out projections with biases, causal softmax attention, GELU FFN of 4·d; final
 * LayerNorm; untied head without bias; mean next-token cross-entropy), the same parameter count, DJL's autograd and
 * DJL's AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 on matrices only).
 */
final class DjlTrainStep {
    private final TrainStepBenchmark.Config c;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Optimizer decayed, plain;
    private final NDArray tokens, targets, causalMask;

    private DjlTrainStep(NDManager manager, TrainStepBenchmark.Config c) {
        this.c = c;
        this.manager = manager;
        Random random = new Random(7);
        int d = c.dModel(), v = c.vocab(), t = c.time();
        add("embed", manager.randomNormal(new Shape(v, d)));
        add("pos", manager.randomNormal(0f, 0.02f, new Shape(t, d), DataType.FLOAT32));
        for (int i = 0; i < c.layers(); i++) {
            String p = "blocks." + i + ".";
            layerNorm(p + "norm1", d);
            for (String proj : List.of("q", "k", "v", "out")) linear(p + "attn." + proj, d, d, true);
            layerNorm(p + "norm2", d);
            linear(p + "ffn.up", d, 4 * d, true);
            linear(p + "ffn.down", 4 * d, d, true);
        }
        layerNorm("norm", d);
        linear("head", d, v, false);
        Tracker lr = Tracker.fixed(1e-3f);
        decayed = Optimizer.adamW().optLearningRateTracker(lr).optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-8f).optWeightDecays(0.01f).build();
        plain = Optimizer.adamW().optLearningRateTracker(lr).optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-8f).optWeightDecays(0f).build();
        long[] data = new long[c.batch() * (t + 1)];
        for (int i = 0; i < data.length; i++) data[i] = random.nextInt(v);
        long[] in = new long[c.batch() * t], out = new long[c.batch() * t];
        for (int b = 0; b < c.batch(); b++) {
            System.arraycopy(data, b * (t + 1), in, b * t, t);
            System.arraycopy(data, b * (t + 1) + 1, out, b * t, t);
        }
        tokens = manager.create(in, new Shape(c.batch(), t));
        targets = manager.create(out, new Shape((long) c.batch() * t, 1));
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) mask[i * t + j] = Float.NEGATIVE_INFINITY;
        causalMask = manager.create(mask, new Shape(t, t));
    }

    static void run(Harness harness, Map<String, String> info, NDManager manager, TrainStepBenchmark.Config c) {
        DjlTrainStep s = new DjlTrainStep(manager, c);
        info.put("djl." + c.name() + ".parameters", Long.toString(s.parameterCount()));
        info.put("djl." + c.name() + ".first_loss", String.format(Locale.ROOT, "%.4f", s.step()));
        harness.measure("train step " + c.name(), c.size(), c.flops(), Harness.Settings.TRAIN_STEP, s::step);
    }

    long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /** Forward, backward and AdamW; returns the loss. Every intermediate lives in the step's sub-manager. */
    float step() {
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (NDArray p : parameters.values()) JniUtils.zeroGrad((PtNDArray) p);
            NDArray loss = loss(step);
            collector.backward(loss);
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                try (NDArray grad = p.getGradient()) {
                    (p.getShape().dimension() >= 2 ? decayed : plain).update(e.getKey(), p, grad);
                }
            }
            return loss.getFloat();
        }
    }

    private NDArray loss(NDManager step) {
        int b = c.batch(), t = c.time(), d = c.dModel(), heads = c.heads(), dh = d / heads;
        NDArray x = DjlBenchMain.owned(step, JniUtils.embedding((PtNDArray) tokens, (PtNDArray) p("embed"), false));
        x = x.add(p("pos"));
        for (int i = 0; i < c.layers(); i++) {
            String pre = "blocks." + i + ".";
            NDArray h = norm(x, pre + "norm1");
            NDArray q = heads(linear(h, pre + "attn.q"), b, t, heads, dh);
            NDArray k = heads(linear(h, pre + "attn.k"), b, t, heads, dh);
            NDArray v = heads(linear(h, pre + "attn.v"), b, t, heads, dh);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(dh)).add(causalMask);
            NDArray o = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, d);
            x = x.add(linear(o, pre + "attn.out"));
            NDArray up = Activation.gelu(linear(norm(x, pre + "norm2"), pre + "ffn.up"));
            x = x.add(linear(up, pre + "ffn.down"));
        }
        NDArray logits = norm(x, "norm").matMul(p("head.weight")).reshape((long) b * t, c.vocab());
        return logits.logSoftmax(-1).gather(targets, 1).mean().neg();
    }

    private static NDArray heads(NDArray y, int b, int t, int heads, int dh) {
        return y.reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        NDArray y = x.matMul(p(name + ".weight"));
        return parameters.containsKey(name + ".bias") ? y.add(p(name + ".bias")) : y;
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(c.dModel()), p(name + ".weight"), p(name + ".bias"), 1e-5f).singletonOrThrow();
    }

    private NDArray p(String name) {
        return parameters.get(name);
    }

    private void layerNorm(String name, int d) {
        add(name + ".weight", manager.ones(new Shape(d)));
        add(name + ".bias", manager.zeros(new Shape(d)));
    }

    /** Weight [in, out] (x·W, no transpose in the step) and bias, uniform ±1/√in as torch.nn.Linear. */
    private void linear(String name, int in, int out, boolean bias) {
        float bound = (float) (1 / Math.sqrt(in));
        add(name + ".weight", manager.randomUniform(-bound, bound, new Shape(in, out)));
        if (bias) add(name + ".bias", manager.randomUniform(-bound, bound, new Shape(out)));
    }

    private void add(String name, NDArray value) {
        value.setRequiresGradient(true);
        parameters.put(name, value);
    }
}
