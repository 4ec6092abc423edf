package org.moelab.bench;

import java.util.Map;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.models.ProMoE;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.Rng;
import org.moelab.train.AdamW;
import org.moelab.train.Optimizer;

/**
 * The {@code promoe-step} suite, mirrored by bench/pytorch/promoe.py: one ProMoE rectified-flow training step at the
 * notebook's quick-preset sizes — DiT-tiny on 16×16×1 images, patch 4 (16 tokens), D 48, 4 adaLN-Zero blocks,
 * 4 heads, batch 32; blocks 1 and 3 an MoE of shared + 4 routed + 1 unconditional experts of 96 behind the
 * conditional + prototypical (cosine, top-1) router, RCL τ 0.07 weight 1; label dropout 0.1; AdamW 1e-3, wd 0.
 */
final class ProMoeBenchmarks {
    private ProMoeBenchmarks() {}

    /** A prepared step: the model's module (for its parameters) and the step. */
    record Setup(org.moelab.nn.Module module, Runnable step) {}

    static Setup setup() {
        ProMoE model = ProMoE.builder().seed(7).build();
        Optimizer optimizer = AdamW.builder(model.module()).learningRate(1e-3f).weightDecay(0f).build();
        LabelledImages batch = new Shapes10(11).next(32);
        Rng rng = new Rng(5);
        Runnable step = () -> {
            optimizer.zeroGrad();
            model.loss(batch, RoutingContext.training(0, rng)).backward();
            optimizer.step();
        };
        return new Setup(model.module(), step);
    }

    static void step(Harness harness, Map<String, String> info) {
        Setup s = setup();
        info.put("ours.promoe-step.parameters", Long.toString(s.module().numParameters()));
        harness.measure("train step promoe", "d48 N16 B32 E4+S+U", 0, Harness.Settings.TRAIN_STEP, s.step());
    }
}
