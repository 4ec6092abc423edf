package org.moelab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.moelab.models.MoM;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The MoM suites, mirrored by bench/pytorch/mom.py (a plain-PyTorch recurrent implementation of the same layer):
 * <ul>
 *   <li>{@code mom-layer}: one MoM layer, B = 8, T = 128, d = 128, 2 heads of d_k = d_v = 32, M = 4 memories, top-2,
 *       shared memory; forward + backward of an MSE loss;</li>
 *   <li>{@code mom-decode}: one decoding step of that layer (state of (M+1)·H·d_k·d_v floats plus conv windows).</li>
 * </ul>
 * {@link #main} with {@code --check FILE} writes the weights, an input and this layer's output as JSON for
 * {@code python3 bench/pytorch/mom.py --check FILE}, which recomputes the output with the PyTorch reference.
 */
final class MomBenchmarks {
    static final int B = 8, T = 128, D = 128, H = 2, DK = 32, M = 4, K = 2;

    private MomBenchmarks() {}

    static MoM layer() {
        return MoM.builder().dModel(D).heads(H).headDim(DK).memories(M).topK(K).sharedMemory(true).seed(3).build();
    }

    static void layer(Harness harness, Map<String, String> info) {
        MoM mom = layer();
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, B, T, D).requiresGrad(true);
        Tensor target = Tensor.randn(rng, B, T, D);
        Runnable step = () -> {
            mom.zeroGrad();
            x.zeroGrad();
            Losses.mse(mom.forward(x), target).backward();
        };
        info.put("ours.mom-layer.parameters", Long.toString(mom.numParameters()));
        harness.measure("mom layer fwd+bwd", "B8 T128 d128 H2x32 M4 k2+sh", 0, Harness.Settings.TRAIN_STEP, step);
    }

    static void decode(Harness harness, Map<String, String> info) {
        MoM mom = layer();
        MoM.State state = mom.state();
        Rng rng = new Rng(6);
        float[][] tokens = new float[64][D];
        for (float[] t : tokens) for (int i = 0; i < D; i++) t[i] = (float) rng.nextGaussian();
        int[] i = {0};
        info.put("ours.mom-decode.state_floats", Integer.toString(state.floats()));
        harness.measure("mom decode step", "d128 H2x32 M4 k2+sh", 0, Harness.Settings.MICRO, () -> mom.step(state, tokens[i[0]++ % 64]));
    }

    /** One training step of the MQAR model in MoM's second-round regime, ready to run. */
    record MqarSetup(org.moelab.models.CausalTransformer model, Runnable step) {}

    /**
     * {@code mom-mqar[-ARM]}: one AdamW step of papers/mom.md's second-round MQAR model (V 256, T 64, P in {4, 8, 16},
     * d 64, 2 blocks, 4 heads of 16, batch 32), arm MOM unless named (e.g. {@code mom-mqar-GATED_DELTANET}).
     */
    static MqarSetup mqarSetup(String name) {
        org.moelab.experiments.MomExperiment.Arm arm = name.startsWith("mom-mqar-")
                ? org.moelab.experiments.MomExperiment.Arm.valueOf(name.substring("mom-mqar-".length())) : org.moelab.experiments.MomExperiment.Arm.MOM;
        org.moelab.experiments.MomSettings s = new org.moelab.experiments.MomSettings(256, 64, new int[] {4, 8, 16}, new int[] {4, 8, 16}, 64, 2, 4, 16, 4, 2, 0,
                1500, 32, 2e-3f, 256, java.util.List.of(1001L), java.util.List.of(arm), MoM.RouterInput.HIDDEN);
        org.moelab.experiments.MomExperiment e = new org.moelab.experiments.MomExperiment(s);
        org.moelab.models.CausalTransformer model = e.model(arm, 1001);
        org.moelab.train.AdamW opt = org.moelab.train.AdamW.builder(model).learningRate(2e-3f).weightDecay(0.1f).build();
        Rng data = new Rng(1001).fork("mqar-train");
        int[] step = {0};
        return new MqarSetup(model, () -> {
            org.moelab.data.Mqar.Batch b = e.task().generate(s.batch(), s.trainPairs(), data.fork("step-" + step[0]++));
            model.zeroGrad();
            org.moelab.experiments.MomExperiment.loss(model, b, arm == org.moelab.experiments.MomExperiment.Arm.MOM_ORACLE
                    ? e.oracleMemories(b.inputs(), b.rows(), b.length()) : null, org.moelab.moe.RoutingContext.evaluation()).backward();
            opt.step();
        });
    }

    /** Writes config, state dict, input and output of a small MoM layer for the PyTorch cross-check. */
    static void writeCheck(Path file) throws IOException {
        int b = 2, t = 24, d = 16, h = 2, dk = 4, dv = 6, m = 4, k = 2;
        MoM mom = MoM.builder().dModel(d).heads(h).headDim(dk).valueDim(dv).memories(m).topK(k).seed(9).build();
        Tensor x = Tensor.randn(new Rng(10), b, t, d);
        float[] y;
        try (var scope = GradMode.noGrad()) {
            y = mom.forward(x).toFloatArray();
        }
        StringBuilder sb = new StringBuilder("{\"config\": {");
        sb.append(String.format(Locale.ROOT, "\"batch\": %d, \"time\": %d, \"dModel\": %d, \"heads\": %d, \"headDim\": %d, \"valueDim\": %d, \"memories\": %d, \"topK\": %d, \"shared\": true},", b, t, d, h, dk, dv, m, k));
        sb.append("\"state\": {");
        boolean first = true;
        for (var e : mom.stateDict().entrySet()) {
            sb.append(first ? "" : ",").append('"').append(e.getKey()).append("\": ").append(array(e.getValue()));
            first = false;
        }
        sb.append("}, \"input\": ").append(array(x.toFloatArray())).append(", \"output\": ").append(array(y)).append('}');
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String array(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
        return sb.append(']').toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--check")) {
            writeCheck(Path.of(args[1]));
            System.out.println("wrote " + args[1] + "; now: /usr/bin/python3 bench/pytorch/mom.py --check " + args[1]);
            return;
        }
        Harness harness = new Harness(m -> System.out.printf(Locale.ROOT, "  ours   %-24s %-28s %10.3f ms%n", m.name(), m.size(), m.medianMs()), true);
        Map<String, String> info = new java.util.LinkedHashMap<>();
        layer(harness, info);
        decode(harness, info);
        System.out.println(info);
    }
}
