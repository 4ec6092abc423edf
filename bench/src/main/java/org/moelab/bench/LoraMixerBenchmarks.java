package org.moelab.bench;

import java.util.Locale;
import java.util.Map;
import org.moelab.data.SeqTasks;
import org.moelab.experiments.LoraMixerBase;
import org.moelab.experiments.LoraMixerSettings;
import org.moelab.models.LoraMixer;
import org.moelab.models.LoraMixer.Mode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.Optimizer;

/**
 * The {@code loramixer-step} suite, mirrored by bench/pytorch/loramixer.py: one LoRA-Mixer training step (forward,
 * backward, AdamW on the trainable parameters only) at the quick preset of {@link LoraMixerSettings#quick()}, around
 * the untrained {@link LoraMixerBase#architecture} (vocab 31, d 48, 4 heads, 2 layers, T 20; frozen): E = 4 LoRA
 * experts of rank 16 (α 32) in each of Q, K, V and O of both layers, batch 32 rows of {@link SeqTasks}' default tasks.
 * <ul>
 *   <li>{@code loramixer-stage1}: Mode.ORACLE (each row's tokens through its task's expert only), experts trainable,
 *       AdamW lr 3e-3;</li>
 *   <li>{@code loramixer-stage2}: Mode.SOFT (a softmax router per layer on the causal mean of LN₁'s output, all experts
 *       weighted), routers trainable, loss CE on the answer tokens + the SBL router loss, AdamW lr 3e-2.</li>
 * </ul>
 * Weight decay 0, as in the experiment; no gradient clipping or schedule (the harness times the step alone).
 * Warm-up 10 s on both sides ({@link #STEP}, quick: 2.5 s) rather than the 3 s of {@link Harness.Settings#TRAIN_STEP}:
 * a step runs ~100 small ops, and at 3 s on the shared machine C2 had not finished (one-thread CPU time per stage-2
 * step: 61 ms after a 5 s warm-up, 22 ms after 12 s).
 */
final class LoraMixerBenchmarks {
    static final Harness.Settings STEP = new Harness.Settings(10.0, 5, 0, 15);

    private LoraMixerBenchmarks() {}

    static LoraMixer model(LoraMixerSettings s) {
        return LoraMixer.builder().base(LoraMixerBase.architecture(2507)).experts(s.experts()).rank(s.rank()).alpha(s.alpha()).topK(s.topK())
                .balanceWeight(s.balanceWeight()).entropyWeight(s.entropyWeight()).routerInput(s.routerInput())
                .routerLoss(LoraMixer.RouterLoss.SBL).seed(1).build();
    }

    /** A prepared step of {@code loramixer-stage1} or {@code loramixer-stage2}: model, batch, optimizer and the step itself. */
    record Setup(String name, String size, LoraMixer model, Runnable step, float[] lastLoss) {
        long trainableParameters() {
            long n = 0;
            for (Tensor p : model.parameters()) if (p.requiresGrad()) n += p.numel();
            return n;
        }
    }

    static Setup setup(String name) {
        LoraMixerSettings s = LoraMixerSettings.quick();
        SeqTasks.Batch b = SeqTasks.builder().build().generate(s.batch(), new Rng(11));
        boolean[] counted = b.nonPadding();
        String size = "d48 T" + b.length() + " B" + b.rows() + " E" + s.experts() + " r" + s.rank();
        boolean stage1 = switch (name) {
            case "loramixer-stage1" -> true;
            case "loramixer-stage2" -> false;
            default -> throw new IllegalArgumentException("unknown LoRA-Mixer step '" + name + "' (loramixer-stage1, loramixer-stage2)");
        };
        LoraMixer model = stage1 ? model(s).expertStage() : model(s).routerStage(false);
        Mode mode = stage1 ? Mode.ORACLE : Mode.SOFT;
        Optimizer optimizer = AdamW.builder(model).learningRate(stage1 ? s.stage1LearningRate() : s.routerLearningRate()).weightDecay(0f).build();
        float[] loss = new float[1];
        Runnable step = () -> {
            optimizer.zeroGrad();
            LoraMixer.Output out = model.forward(b.inputs(), b.rows(), b.length(), mode, b.tasks());
            Tensor l = model.taskLoss(out, b.targets(), b.rows(), b.length()).add(model.routerLoss(out, counted));
            l.backward();
            optimizer.step();
            loss[0] = l.item();
        };
        return new Setup(name, size + (stage1 ? " oracle" : " soft"), model, step, loss);
    }

    static void step(Harness harness, Map<String, String> info) {
        for (String name : new String[] {"loramixer-stage1", "loramixer-stage2"}) {
            Setup s = setup(name);
            info.put("ours." + name + ".parameters", s.trainableParameters() + " trainable / " + s.model().numParameters() + " total");
            s.step().run();
            info.put("ours." + name + ".first_loss", String.format(Locale.ROOT, "%.4f", s.lastLoss()[0]));
            harness.measure("train step " + name, s.size(), 0, STEP, s.step());
        }
    }
}
