package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.data.SeqTasks;
import org.moelab.models.LoraMixer.Mode;
import org.moelab.models.LoraMixer.Placement;
import org.moelab.models.LoraMixer.RouterInput;
import org.moelab.models.LoraMixer.RouterLoss;
import org.moelab.models.CausalTransformer;
import org.moelab.nn.LoRAExpert;
import org.moelab.tensor.CpuKernels;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Nd4jKernels;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** LoRA-Mixer as a model: identity at B = 0, oracle = the task's own LoRA, stages, router input, SBL gradients. */
class LoraMixerTest {
    static final int VOCAB = 12, D = 16, T = 6, B = 3;

    static CausalTransformer base(long seed) {
        return CausalTransformer.builder().vocab(VOCAB).dModel(D).heads(2).layers(2).maxLen(8).seed(seed).build();
    }

    static int[] tokens(long seed) {
        Rng rng = new Rng(seed);
        int[] t = new int[B * T];
        for (int i = 0; i < t.length; i++) t[i] = 1 + rng.nextInt(VOCAB - 1);
        return t;
    }

    /** Gives every expert's B random values, so adapters change the output. */
    static void randomiseExperts(LoraMixer m, long seed) {
        Rng rng = new Rng(seed);
        for (int e = 0; e < m.numExperts(); e++) {
            for (List<LoRAExpert> layer : m.expert(e)) {
                for (LoRAExpert x : layer) {
                    float[] b = x.b().data();
                    for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian() * 0.3f;
                }
            }
        }
    }

    @Test
    void freshExpertsLeaveTheBaseUnchangedInEveryModeAndPlacement() {
        CausalTransformer base = base(1);
        int[] tok = tokens(2);
        float[] expected = base.forward(tok, B, T).data();
        for (Placement placement : Placement.values()) {
            LoraMixer m = LoraMixer.builder().base(base).experts(3).rank(2).topK(2).placement(placement).seed(3).build();
            for (Mode mode : Mode.values()) {
                float[] got = m.forward(tok, B, T, mode, new int[] {0, 1, 2}).logits().data();
                assertArrayEquals(expected, got, 1e-5f, placement + " " + mode);
            }
        }
    }

    @Test
    void oracleRoutingEqualsAModelHoldingOnlyThatTasksExpert() {
        CausalTransformer base = base(4);
        LoraMixer mixer = LoraMixer.builder().base(base).experts(3).rank(2).seed(5).build();
        randomiseExperts(mixer, 6);
        int[] tok = tokens(7);
        float[] mixed = mixer.forward(tok, B, T, Mode.ORACLE, new int[] {2, 2, 2}).logits().data();
        LoraMixer single = LoraMixer.builder().base(base).experts(1).rank(2).topK(1).seed(8).build();
        single.copyExpert(0, mixer, 2);
        float[] alone = single.forward(tok, B, T, Mode.ORACLE, new int[] {0, 0, 0}).logits().data();
        assertArrayEquals(alone, mixed, 1e-5f);
        float[] other = mixer.forward(tok, B, T, Mode.ORACLE, new int[] {0, 0, 0}).logits().data();
        assertTrue(maxAbsDiff(other, mixed) > 1e-3, "a different task's expert must change the output");
    }

    @Test
    void stagesTrainOnlyTheirOwnParameters() {
        LoraMixer m = LoraMixer.builder().base(base(9)).experts(2).rank(2).seed(10).build();
        randomiseExperts(m, 11);
        int[] tok = tokens(12);
        m.expertStage();
        m.forward(tok, B, T, Mode.ORACLE, new int[] {0, 1, 0}).logits().sum().backward();
        assertGrads(m, "experts.", true);
        assertGrads(m, "routers.", false);
        assertGrads(m, "base.", false);
        m.zeroGrad();
        m.routerStage(false);
        m.forward(tok, B, T, Mode.SOFT, null).logits().sum().backward();
        assertGrads(m, "experts.", false);
        assertGrads(m, "routers.", true);
        assertGrads(m, "base.", false);
    }

    private static void assertGrads(LoraMixer m, String prefix, boolean expected) {
        boolean any = false;
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue().grad() != null) any = true;
        }
        assertEquals(expected, any, prefix + " gradients");
    }

    @Test
    void preservationLossIsZeroAtTheAnchorAndGrowsAsExpertsMove() {
        LoraMixer m = LoraMixer.builder().base(base(30)).experts(2).rank(2).preserveWeight(0.5f).seed(31).build();
        randomiseExperts(m, 32);
        m.routerStage(false);
        assertEquals(0.0, m.preservationLoss().item(), "frozen experts have nothing to preserve");
        m.routerStage(true);
        assertEquals(0.0, m.preservationLoss().item(), 1e-12);
        LoRAExpert moved = m.expert(1).get(0).get(2);
        moved.b().data()[0] += 0.2f;
        moved.a().data()[3] -= 0.1f;
        assertEquals(0.5 * (0.04 + 0.01), m.preservationLoss().item(), 1e-5);
        m.preservationLoss().backward();
        assertEquals(0.5 * 2 * 0.2, moved.b().grad().data()[0], 1e-5);
    }

    @Test
    void causalMeanRouterInputNeverSeesLaterTokens() {
        LoraMixer m = LoraMixer.builder().base(base(13)).experts(3).rank(2).routerInput(RouterInput.CAUSAL_MEAN).seed(14).build();
        int[] a = tokens(15), b = a.clone();
        for (int r = 0; r < B; r++) b[r * T + T - 1] = 1 + (a[r * T + T - 1] % (VOCAB - 1));   // change only the last token
        float[] pa = m.forward(a, B, T, Mode.SOFT, null).routerProbabilities().get(0).data();
        float[] pb = m.forward(b, B, T, Mode.SOFT, null).routerProbabilities().get(0).data();
        for (int r = 0; r < B; r++) {
            for (int t = 0; t < T - 1; t++) {
                for (int e = 0; e < 3; e++) assertEquals(pa[(r * T + t) * 3 + e], pb[(r * T + t) * 3 + e], 1e-6f);
            }
        }
        // ... and at t = 0 it is the token's own state, as with the TOKEN input.
        LoraMixer token = LoraMixer.builder().base(base(13)).experts(3).rank(2).seed(14).build();
        float[] pt = token.forward(a, B, T, Mode.SOFT, null).routerProbabilities().get(0).data();
        for (int e = 0; e < 3; e++) assertEquals(pt[e], pa[e], 1e-6f);
    }

    @Test
    void fullModelGradientsReachRoutersAndExpertsUnderSoftRouting() {
        for (RouterInput input : RouterInput.values()) {
            LoraMixer m = LoraMixer.builder().base(base(16)).experts(3).rank(2).topK(2).routerInput(input).seed(17).build();
            randomiseExperts(m, 18);
            m.routerStage(true);
            int[] tok = tokens(19);
            List<Tensor> inputs = m.namedParameters().entrySet().stream().filter(e -> e.getKey().startsWith("routers.0") || e.getKey().startsWith("experts.1_v.experts.2"))
                    .map(Map.Entry::getValue).toList();
            // TOP_K's selection is piecewise constant (finite differences straddle its switches); LoRATest checks it per layer.
            // CPU kernels only: the whole model under pure ND4J costs ~25 s here, and every op is checked under both in OpGradientTest.
            var report = GradCheck.check(() -> m.forward(tok, B, T, Mode.SOFT, null).logits().square().mean(), inputs, 1e-2, 16, 29);
            assertTrue(report.passes(3e-2), input + " SOFT: " + report);
        }
    }

    @Test
    void sblTermsMatchFiniteDifferencesAndTheirDefinition() {
        Rng rng = new Rng(20);
        Tensor logits = Tensor.randn(rng, 2f, 10, 4).requiresGrad(true);
        boolean[] counted = {true, true, false, true, true, true, false, true, true, true};
        for (RouterLoss kind : List.of(RouterLoss.AUX_ONLY, RouterLoss.SBL)) {
            for (float sign : new float[] {1f, -1f}) {
                gradCheck(() -> LoraMixer.routerLoss(logits.softmax(), counted, kind, 0.3f, 0.5f, sign), List.of(logits), kind + " sign " + sign);
            }
        }
        // Definition: at uniform p, α_b·E·Σ p̄ f̄ = α_b (f̄ sums to 1) and H = log E.
        Tensor uniform = Tensor.full(0.25f, 8, 4);
        assertEquals(0.3, LoraMixer.routerLoss(uniform, null, RouterLoss.AUX_ONLY, 0.3f, 0.5f, 1f).item(), 1e-5);
        assertEquals(0.3 + 0.5 * Math.log(4), LoraMixer.routerLoss(uniform, null, RouterLoss.SBL, 0.3f, 0.5f, 1f).item(), 1e-5);
        assertEquals(0.3 - 0.5 * Math.log(4), LoraMixer.routerLoss(uniform, null, RouterLoss.SBL, 0.3f, 0.5f, -1f).item(), 1e-5);
    }

    @Test
    void routerLossIsZeroWithoutARouterOrWithLossNone() {
        LoraMixer none = LoraMixer.builder().base(base(21)).experts(2).rank(2).routerLoss(RouterLoss.NONE).seed(22).build();
        LoraMixer.Output out = none.forward(tokens(23), B, T, Mode.SOFT, null);
        assertEquals(0.0, none.routerLoss(out, null).item());
        LoraMixer sbl = LoraMixer.builder().base(base(21)).experts(2).rank(2).seed(22).build();
        LoraMixer.Output oracle = sbl.forward(tokens(23), B, T, Mode.ORACLE, new int[] {0, 1, 1});
        assertNull(oracle.routerProbabilities().get(0));
        assertEquals(0.0, sbl.routerLoss(oracle, null).item());
        assertNotNull(sbl.forward(tokens(23), B, T, Mode.SOFT, null).routerProbabilities().get(1));
    }

    @Test
    void builderAndForwardRejectBadInputClearly() {
        CausalTransformer base = base(24);
        assertMessage(() -> LoraMixer.builder().build(), "base");
        assertMessage(() -> LoraMixer.builder().base(base).experts(0).build(), "experts");
        assertMessage(() -> LoraMixer.builder().base(base).experts(2).topK(3).build(), "topK must be in [1, experts=2]");
        assertMessage(() -> LoraMixer.builder().base(base).rank(17).build(), "rank must be <= 16");
        assertMessage(() -> LoraMixer.builder().base(base).entropySign(0.5f).build(), "entropySign must be +1");
        assertMessage(() -> LoraMixer.builder().base(base).routerInput(null).build(), "routerInput");
        LoraMixer m = LoraMixer.builder().base(base).experts(2).rank(2).seed(25).build();
        assertMessage(() -> m.forward(tokens(26), B, T, Mode.ORACLE, null), "taskPerRow");
        assertMessage(() -> m.forward(tokens(26), B, T, Mode.ORACLE, new int[] {0, 2, 0}), "taskPerRow[1] = 2 must be in [0, 2)");
        assertMessage(() -> m.copyExpert(5, m, 0), "expert must be in [0, 2)");
    }

    @Test
    void seqTasksBatchesSelectRowsAndMarkPadding() {
        SeqTasks tasks = SeqTasks.builder().build();
        SeqTasks.Batch all = tasks.generate(5, new Rng(27));
        SeqTasks.Batch two = all.select(new int[] {3, 1});
        assertEquals(2, two.rows());
        assertArrayEquals(all.answer(3), two.answer(0));
        assertEquals(all.tasks()[1], two.tasks()[1]);
        boolean[] real = two.nonPadding();
        for (int i = 0; i < real.length; i++) assertEquals(two.inputs()[i] != SeqTasks.PAD, real[i]);
        assertMessage(() -> all.select(new int[] {5}), "row 5 is outside [0, 5)");
    }

    static void gradCheck(java.util.function.Supplier<Tensor> f, List<Tensor> inputs, String what) {
        for (Kernels kernels : List.<Kernels>of(new CpuKernels(), new Nd4jKernels())) {
            try (var scope = Kernels.using(kernels)) {
                var report = GradCheck.check(f, inputs, 1e-2, 16, 29);
                assertTrue(report.passes(3e-2), kernels.name() + " " + what + ": " + report);
            }
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
