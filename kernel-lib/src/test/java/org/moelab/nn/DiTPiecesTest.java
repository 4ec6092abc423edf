package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.CpuKernels;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Nd4jKernels;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Patchify/Unpatchify, timestep and label embeddings, adaLN-Zero block and final layer (gradients under both kernels). */
class DiTPiecesTest {
    private static final double TOLERANCE = 2e-2;

    @Test
    void unpatchifyInvertsPatchifyExactly() {
        Tensor image = Tensor.randn(new Rng(1), 2, 3, 8, 12);
        Patchify patchify = new Patchify(4, 3, 8, 12);
        Tensor tokens = patchify.forward(image);
        assertArrayEquals(new int[] {2, 6, 48}, tokens.shape());
        assertArrayEquals(image.toFloatArray(), new Unpatchify(4, 3, 8, 12).forward(tokens).toFloatArray());
    }

    @Test
    void patchTokensHoldTheirPatchRowMajor() {
        // single channel 4x4, patch 2: token 1 is the top-right 2x2 patch
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        Tensor tokens = new Patchify(2, 1, 4, 4).forward(Tensor.of(v, 1, 1, 4, 4));
        assertArrayEquals(new float[] {2, 3, 6, 7}, tokens.slice(1, 1, 2).toFloatArray());
    }

    @Test
    void patchifyRejectsBadSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Patchify(3, 1, 16, 16));
        assertTrue(e.getMessage().contains("multiples of patch 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Patchify(4, 1, 16, 16).forward(Tensor.zeros(1, 2, 16, 16)));
        assertTrue(e.getMessage().contains("expected [B, 1, 16, 16]"), e.getMessage());
    }

    @Test
    void adaLnZeroBlockIsIdentityAtInit() {
        AdaLnZeroBlock block = new AdaLnZeroBlock(8, 2, 16, new Rng(2));
        Tensor x = Tensor.randn(new Rng(3), 2, 5, 8);
        Tensor c = Tensor.randn(new Rng(4), 2, 8);
        assertArrayEquals(x.toFloatArray(), block.forward(x, c).toFloatArray(), 0f);
    }

    @Test
    void finalLayerPredictsZeroAtInit() {
        AdaLnFinalLayer last = new AdaLnFinalLayer(8, 16, new Rng(2));
        Tensor out = last.forward(Tensor.randn(new Rng(3), 2, 5, 8), Tensor.randn(new Rng(4), 2, 8));
        assertArrayEquals(new int[] {2, 5, 16}, out.shape());
        for (float f : out.toFloatArray()) assertEquals(0f, f);
    }

    @Test
    void timestepFeaturesAreCosThenSin() {
        Tensor f = TimestepEmbedding.sinusoidal(new float[] {0f, 2f}, 4);
        // freq = [1, 1e-2]; t = 2 → [cos 2, cos .02, sin 2, sin .02]
        assertArrayEquals(new float[] {1, 1, 0, 0, (float) Math.cos(2), (float) Math.cos(0.02), (float) Math.sin(2), (float) Math.sin(0.02)}, f.toFloatArray(), 1e-6f);
    }

    @Test
    void labelDropoutUsesTheNullLabel() {
        LabelEmbedding labels = new LabelEmbedding(10, 4, new Rng(1));
        assertEquals(10, labels.nullLabel());
        int[] y = new int[2000];
        int[] dropped = labels.dropLabels(y, 0.1f, new Rng(5));
        int nulls = 0;
        for (int d : dropped) nulls += d == 10 ? 1 : 0;
        assertTrue(nulls > 140 && nulls < 260, "nulls=" + nulls);
        assertArrayEquals(new int[] {3, 10}, labels.dropLabels(new int[] {3, 10}, 0f, new Rng(5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> labels.forward(new int[] {11}));
        assertTrue(e.getMessage().contains("out of range [0, 10]"), e.getMessage());
        assertNotEquals(labels.forward(new int[] {10}).get(0, 0), labels.forward(new int[] {0}).get(0, 0));
    }

    @Test
    void timestepEmbeddingGradients() {
        TimestepEmbedding t = new TimestepEmbedding(8, 6, new Rng(1));
        check(t, () -> t.forward(new float[] {3f, 250f, 999f}));
    }

    @Test
    void labelEmbeddingGradients() {
        LabelEmbedding l = new LabelEmbedding(3, 5, new Rng(1));
        check(l, () -> l.forward(new int[] {0, 3, 2, 3}));
    }

    @Test
    void adaLnZeroBlockGradients() {
        AdaLnZeroBlock block = new AdaLnZeroBlock(8, 2, 12, new Rng(6));
        randomise(block, 7); // away from the zero init, so every path carries gradient
        Tensor x = Tensor.randn(new Rng(8), 2, 3, 8).requiresGrad(true).named("x");
        Tensor c = Tensor.randn(new Rng(9), 2, 8).requiresGrad(true).named("c");
        check(block, () -> block.forward(x, c), x, c);
    }

    @Test
    void adaLnZeroBlockTakesAPluggableFeedForward() {
        Linear ffn = new Linear(8, 8, new Rng(3));
        AdaLnZeroBlock block = new AdaLnZeroBlock(8, 2, ffn, new Rng(6));
        assertTrue(block.namedParameters().containsKey("feedForward.weight"));
        randomise(block, 2);
        Tensor x = Tensor.randn(new Rng(8), 1, 4, 8).requiresGrad(true).named("x");
        Tensor c = Tensor.randn(new Rng(9), 1, 8).requiresGrad(true).named("c");
        check(block, () -> block.forward(x, c), x, c);
    }

    @Test
    void finalLayerGradients() {
        AdaLnFinalLayer last = new AdaLnFinalLayer(6, 4, new Rng(6));
        randomise(last, 3);
        Tensor x = Tensor.randn(new Rng(8), 2, 3, 6).requiresGrad(true).named("x");
        Tensor c = Tensor.randn(new Rng(9), 2, 6).requiresGrad(true).named("c");
        check(last, () -> last.forward(x, c), x, c);
    }

    @Test
    void conditioningBatchMustMatch() {
        AdaLnZeroBlock block = new AdaLnZeroBlock(8, 2, 12, new Rng(6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> block.forward(Tensor.zeros(2, 3, 8), Tensor.zeros(3, 8)));
        assertTrue(e.getMessage().contains("conditioning batch 3 != input batch 2"), e.getMessage());
    }

    private static void randomise(Module m, long seed) {
        Rng rng = new Rng(seed);
        for (Tensor p : m.parameters()) {
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) d[i] = (float) (0.3 * rng.nextGaussian());
        }
    }

    private static void check(Module m, Supplier<Tensor> f, Tensor... extraInputs) {
        List<Tensor> inputs = new ArrayList<>(List.of(extraInputs));
        m.namedParameters().forEach((name, p) -> inputs.add(p.named(name)));
        for (Kernels kernels : List.<Kernels>of(new CpuKernels(), new Nd4jKernels())) {
            try (var scope = Kernels.using(kernels)) {
                GradCheck.Report report = GradCheck.check(f, inputs, 1e-2, 64, 99L);
                assertTrue(report.passes(TOLERANCE), kernels.name() + ": " + m + ": " + report);
            }
        }
    }
}
