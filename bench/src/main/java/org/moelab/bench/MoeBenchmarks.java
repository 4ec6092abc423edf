package org.moelab.bench;

import java.util.Locale;
import java.util.Map;
import org.moelab.data.Batch;
import org.moelab.models.SmoeDropout;
import org.moelab.moe.Experts;
import org.moelab.moe.MoELayer;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.TopKRouter;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;
import org.moelab.train.AdamW;
import org.moelab.train.Optimizer;

/**
 * The MoE suites, mirrored by bench/pytorch/moe.py:
 * <ul>
 *   <li>{@code moe-layer}: one MoE FFN layer, T = 4096 tokens, d = 256, hidden 1024 per expert, E = 8, top-2 learned
 *       router, forward + backward of an MSE loss (the notes measured PyTorch's sparse layer at 230–290 ms). The
 *       useful FLOPs are the routed GEMMs only (T·k tokens, two GEMMs, ×3 for backward), and a plain GEMM of the
 *       expert shape measured in the same run gives the peak they are compared with;</li>
 *   <li>{@code smoe-step}: one SMoE-Dropout training step at the notebook's quick-preset sizes (2 layers, d 64,
 *       4 heads, T 64, batch 16, vocab 75, N = 8 experts of 32, frozen random router at k = 4, dropout 0.1, AdamW).</li>
 * </ul>
 */
final class MoeBenchmarks {
    static final int T = 4096, D = 256, H = 1024, E = 8, K = 2;

    private MoeBenchmarks() {}

    /** A prepared moe-layer fwd+bwd (also {@code KernelBreakdown moe-layer}): the layer and the step. */
    record LayerSetup(MoELayer layer, Runnable step) {}

    static LayerSetup layerSetup() {
        Rng rng = new Rng(3);
        MoELayer layer = new MoELayer(TopKRouter.learned(D, E, K, rng), new Experts(E, D, H, Unary.GELU, rng));
        Tensor x = Tensor.randn(rng, T, D).requiresGrad(true);
        Tensor target = Tensor.randn(rng, T, D);
        return new LayerSetup(layer, () -> {
            layer.zeroGrad();
            x.zeroGrad();
            Losses.mse(layer.forward(x, RoutingContext.evaluation()), target).backward();
        });
    }

    static void layer(Harness harness, Map<String, String> info) {
        LayerSetup setup = layerSetup();
        MoELayer layer = setup.layer();
        Runnable step = setup.step();
        double useful = 3.0 * 2 * (2.0 * T * K * D * H);
        Measurement m = harness.measure("moe layer fwd+bwd", "T4096 d256 h1024 E8 k2", useful, Harness.Settings.TRAIN_STEP, step);
        float[] a = new float[T * K / E * D], b = new float[D * H], c = new float[T * K / E * H];
        Measurement peak = harness.measure("gemm (expert shape)", "1024x256x1024", 2.0 * (T * K / E) * D * H, Harness.Settings.MICRO,
                () -> Kernels.current().gemm(false, false, T * K / E, H, D, 1f, a, 0, b, 0, 0f, c, 0));
        info.put("ours.moe-layer.useful_gflops", String.format(Locale.ROOT, "%.1f", useful / m.medianMs() / 1e6));
        info.put("ours.moe-layer.gemm_peak_gflops", String.format(Locale.ROOT, "%.1f", peak.flops() / peak.medianMs() / 1e6));
        info.put("ours.moe-layer.parameters", Long.toString(layer.numParameters()));
    }

    /** A prepared smoe-step: the model's module (for its parameters) and the step. */
    record SmoeSetup(org.moelab.nn.Module module, Runnable step) {}

    static SmoeSetup smoeSetup() {
        int vocab = 75, batch = 16, time = 64;
        SmoeDropout model = SmoeDropout.builder().vocab(vocab).layers(2).dModel(64).heads(4).context(time).experts(8)
                .hidden(256).kMin(4).fixedK(4).arm(SmoeDropout.Arm.FROZEN_FIXED_K).dropout(0.1f).seed(7).build();
        Optimizer optimizer = AdamW.builder(model.module()).learningRate(2e-3f).weightDecay(0.01f).build();
        Rng rng = new Rng(11);
        int[] inputs = new int[batch * time], targets = new int[batch * time];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rng.nextInt(vocab);
            targets[i] = rng.nextInt(vocab);
        }
        Batch b = new Batch(batch, time, inputs, targets, null, new int[batch]);
        Rng dropout = new Rng(5);
        Runnable step = () -> {
            optimizer.zeroGrad();
            model.loss(b, RoutingContext.training(0, dropout)).backward();
            optimizer.step();
        };
        return new SmoeSetup(model.module(), step);
    }

    static void smoeStep(Harness harness, Map<String, String> info) {
        SmoeSetup s = smoeSetup();
        info.put("ours.smoe-step.parameters", Long.toString(s.module().numParameters()));
        harness.measure("train step smoe-dropout", "d64 T64 B16 N8 k4", 0, Harness.Settings.TRAIN_STEP, s.step());
    }
}
