package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.data.Batch;
import org.moelab.data.CharCorpus;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.TopKRouter;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.StepSchedule;

class SmoeDropoutTest {
    static final CharCorpus CORPUS = CharCorpus.fromText("abc", "the quick brown fox jumps over the lazy dog. ".repeat(40));

    static SmoeDropout.Builder small() {
        return SmoeDropout.builder().vocab(CORPUS.vocabSize()).layers(1).dModel(16).heads(2).context(8).experts(4).hidden(32).kMin(1).scheduleSteps(100).seed(3);
    }

    @Test
    void linearKScheduleReproducesTheReferenceTable() {
        var k = StepSchedule.rounded(StepSchedule.linear(8, 16, 400_000), 8, 16);
        assertEquals(8, k.applyAsInt(0));
        assertEquals(12, k.applyAsInt(200_000));
        assertEquals(16, k.applyAsInt(400_000));
        assertEquals(16, k.applyAsInt(500_000));
        // Python's round is half-to-even: (16-8)*25000/400000 + 8 = 8.5 -> 8
        assertEquals(8, k.applyAsInt(25_000));
        SmoeDropout model = small().vocab(CORPUS.vocabSize()).build();
        assertEquals(1, model.kAt(0));
        assertEquals(4, model.kAt(100));
    }

    @Test
    void cosineAndExponentialSchedulesHitTheirEndpointsWithTheirShapes() {
        var cos = StepSchedule.of(StepSchedule.Shape.COSINE, 2, 16, 1000);
        var exp = StepSchedule.of(StepSchedule.Shape.EXPONENTIAL, 2, 16, 1000);
        assertEquals(2, cos.at(0), 1e-9);
        assertEquals(16, cos.at(1000), 1e-9);
        assertEquals(2, exp.at(0), 1e-9);
        assertEquals(16, exp.at(1000), 1e-9);
        // cosine starts slowly, exponential fast, relative to linear at a quarter of the way
        double lin = StepSchedule.linear(2, 16, 1000).at(250);
        assertTrue(cos.at(250) < lin && exp.at(250) > lin, "cos " + cos.at(250) + " exp " + exp.at(250) + " lin " + lin);
    }

    @Test
    void frozenRouterDoesNotChangeAfterAnOptimizerStepWhileItsInputGetsGradient() {
        SmoeDropout model = small().build();
        TopKRouter router = (TopKRouter) model.languageModel().moeLayers().get(0).router();
        float[] before = router.gate().weight().toFloatArray();
        float[] biasBefore = router.gate().bias().toFloatArray();
        float[] embeddingBefore = model.module().namedParameters().get("embed.weight").toFloatArray();
        AdamW opt = AdamW.builder(model.module()).learningRate(0.01f).build();
        Batch batch = CORPUS.trainingBatch(new Rng(1), 0, 4, 8);
        model.loss(batch, RoutingContext.training(0, new Rng(2))).backward();
        Tensor routerInputGrad = model.module().namedParameters().get("blocks.0.norm2.weight").grad();
        assertNotNull(routerInputGrad, "the gradient reaches the layer feeding the router");
        opt.step();
        assertArrayEquals(before, router.gate().weight().toFloatArray());
        assertArrayEquals(biasBefore, router.gate().bias().toFloatArray());
        assertTrue(!java.util.Arrays.equals(embeddingBefore, model.module().namedParameters().get("embed.weight").toFloatArray()));
    }

    @Test
    void theGradientReachesTheRouterInputThroughTheCombineWeightsAlone() {
        // With all experts identical the output does not depend on which experts are picked, only on their weights;
        // a frozen router must still pass gradient to its input through those softmax weights.
        TopKRouter router = TopKRouter.frozenRandom(8, 4, 2, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 5, 8).requiresGrad(true);
        router.route(x, RoutingContext.evaluation()).weights().mul(Tensor.randn(new Rng(7), 10)).sum().backward();
        assertTrue(absSum(x.grad().toFloatArray()) > 0);
    }

    @Test
    void builderRejectsBadSettingsWithClearMessages() {
        assertMessage(() -> small().kMin(0).build(), "kMin must be in [1, experts=4]");
        assertMessage(() -> small().kMin(5).build(), "kMin must be in [1, experts=4]");
        assertMessage(() -> small().hidden(30).build(), "hidden must be divisible by experts");
        assertMessage(() -> small().heads(3).build(), "heads must divide dModel");
        assertMessage(() -> small().dModel(0).build(), "dModel must be >= 1");
        assertMessage(() -> SmoeDropout.builder().build(), "vocab must be >= 1");
    }

    @Test
    void denseArmHasTheSameParameterCountAsTheSplitExpertsPlusTheRouter() {
        SmoeDropout moe = small().build();
        SmoeDropout dense = small().arm(SmoeDropout.Arm.DENSE).build();
        int d = 16, n = 4;
        // experts repeat b2 (one per expert) where the dense FFN has one output bias; the router adds d·N + N
        long extra = (long) (n - 1) * d + (long) d * n + n;
        assertEquals(dense.module().numParameters() + extra, moe.module().numParameters());
    }

    @Test
    void evaluatingAtAnotherKLeavesTheTrainingKAlone() {
        // k has one owner (the schedule, stated per pass): evaluating at another k changes no router and no later pass
        SmoeDropout model = small().build();
        List<Batch> val = CORPUS.validationBatches(2, 8);
        double atTwo = model.bitsPerChar(val, 2);
        double atOne = model.bitsPerChar(val, 1);
        double atFour = model.bitsPerChar(val, 4);
        assertTrue(Double.isFinite(atOne) && Double.isFinite(atFour));
        assertEquals(atTwo, model.bitsPerChar(val, 2));
        assertEquals(1, ((TopKRouter) model.languageModel().moeLayers().get(0).router()).k());
        assertEquals(1, model.kAt(0));
    }

    @Test
    void wholeModelGradientsMatchFiniteDifferences() {
        for (SmoeDropout.Arm arm : SmoeDropout.Arm.values()) {
            SmoeDropout model = small().arm(arm).dropout(0f).build();
            // k = N: top-k selection is piecewise constant, and a perturbation that flips a near-tie makes finite
            // differences meaningless; with every expert active the whole model is smooth. (The k < N path is
            // gradient-checked layer by layer in RouterTest.)
            Batch batch = CORPUS.trainingBatch(new Rng(1), 0, 2, 8);
            java.util.List<Tensor> params = new java.util.ArrayList<>();
            model.module().namedParameters().forEach((name, t) -> {
                if (t.requiresGrad()) params.add(t);
            });
            var report = org.moelab.tensor.GradCheck.check(() -> model.loss(batch, RoutingContext.evaluation().withTopK(model.experts())), params, 1e-2, 6, 4L);
            assertTrue(report.passes(3e-2), arm + ": " + report);
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    }

    static float absSum(float[] v) {
        float s = 0;
        for (float f : v) s += Math.abs(f);
        return s;
    }
}
