package org.moelab.bench;

import java.util.Map;
import org.moelab.data.Batch;
import org.moelab.data.MixLm4;
import org.moelab.models.EvoMoE;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.Rng;
import org.moelab.train.AdamW;
import org.moelab.train.Optimizer;

/**
 * The {@code evomoe-step} suite, mirrored by bench/pytorch/evomoe.py: one EvoMoE phase-B training step at the
 * notebook's quick-preset sizes (2 pre-LN blocks, d 48, 4 heads, T 32, batch 16, vocab 33; block 0 a dense FFN of
 * 96, block 1 an MoE of E = 4 experts of 96 behind the DTS gate; dropout 0; AdamW 3e-3, wd 0.01), measured twice:
 * at τ = 2 where every token uses all 4 experts (the dense start of phase B), and in the hard top-1 phase. Fresh
 * Gumbel noise is drawn every step on both sides.
 */
final class EvoMoeBenchmarks {
    private EvoMoeBenchmarks() {}

    /** A prepared step: the model's module (for its parameters), the step, and how to switch phase. */
    record Setup(org.moelab.nn.Module module, Runnable step, Runnable top1) {}

    /** The suite's model, optimizer, batch and step, at the start of phase B (τ = 2, all experts). */
    static Setup setup() {
        int batch = 16;
        EvoMoE model = EvoMoE.builder().vocab(MixLm4.VOCAB).context(MixLm4.LENGTH).dModel(48).heads(4).layers(2).experts(4)
                .hidden(96).totalSteps(1000).seed(7).build();
        Optimizer optimizer = AdamW.builder(model.module()).learningRate(3e-3f).weightDecay(0.01f).build();
        Batch b = new MixLm4(11).trainingBatch(0, batch);
        Rng noise = new Rng(5);
        Runnable step = () -> {
            optimizer.zeroGrad();
            model.loss(b, RoutingContext.training(0, noise)).backward();
            optimizer.step();
        };
        model.beforeStep(model.phaseAEnd(), optimizer);
        return new Setup(model.module(), step, () -> model.beforeStep(model.sparseEnd(), optimizer));
    }

    /** {@code evomoe-tau2} or {@code evomoe-top1}, ready to step (KernelBreakdown). */
    static Setup setup(String name) {
        Setup s = setup();
        switch (name) {
            case "evomoe-tau2" -> { }
            case "evomoe-top1" -> s.top1().run();
            default -> throw new IllegalArgumentException("unknown EvoMoE step '" + name + "' (evomoe-tau2, evomoe-top1)");
        }
        return s;
    }

    static void step(Harness harness, Map<String, String> info) {
        Setup s = setup();
        info.put("ours.evomoe-step.parameters", Long.toString(s.module().numParameters()));
        harness.measure("train step evomoe τ=2", "d48 T32 B16 E4 all", 0, Harness.Settings.TRAIN_STEP, s.step());
        s.top1().run();
        harness.measure("train step evomoe top-1", "d48 T32 B16 E4 k1", 0, Harness.Settings.TRAIN_STEP, s.step());
    }
}
