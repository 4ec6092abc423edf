package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.moe.PrototypeRouter;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.Trainer;

/** The DiT-tiny of ProMoE: arms, routing through the model, gradients, sampler signs, builder validation. */
class ProMoETest {

    private static ProMoE.Builder tiny() {
        return ProMoE.builder().dModel(8).heads(2).depth(2).patch(4).imageSize(8).classes(3).frequencyDim(8).routedExperts(2).seed(3);
    }

    @Test
    void everyArmMapsImagesToVelocitiesOfTheSameShape() {
        Tensor x = Tensor.randn(new Rng(1), 2, 1, 16, 16);
        for (ProMoE.Arm arm : ProMoE.Arm.values()) {
            ProMoE model = ProMoE.builder().arm(arm).seed(1).build();
            Tensor v = model.velocity(x, new float[] {0.3f, 0.9f}, new int[] {1, 10});
            assertArrayEquals(new int[] {2, 1, 16, 16}, v.shape(), arm.name());
            assertEquals(arm == ProMoE.Arm.DENSE ? 0 : 2, model.moeLayers().size(), "MoE in the odd blocks of 4");
        }
    }

    @Test
    void nullLabelImagesRouteEveryTokenToTheUnconditionalExpertInsideTheModel() {
        ProMoE model = ProMoE.builder().seed(2).build();
        Tensor x = Tensor.randn(new Rng(2), 3, 1, 16, 16);
        RoutingContext pass = RoutingContext.evaluation();
        model.forward(x, new float[] {0.5f, 0.5f, 0.5f}, new int[] {10, 4, 10}, pass); // image 0 and 2 unconditional
        for (Routing r : model.routings(pass)) {
            for (int i = 0; i < r.assignments().size(); i++) {
                int image = r.assignments().token(i) / 16, e = r.assignments().expert(i);
                if (image == 1) assertTrue(e < 4, "conditional image routed to a prototype expert");
                else assertEquals(4, e, "unconditional image → E_U");
            }
        }
    }

    @Test
    void ditForwardAndBackwardGradientCheckOnATinyInstance() {
        for (ProMoE.Arm arm : ProMoE.Arm.values()) {
            ProMoE model = tiny().arm(arm).build();
            // adaLN-Zero starts at the identity with zero output; give every parameter a generic value so all paths matter
            Rng rng = new Rng(4);
            for (var e : model.module().namedParameters().entrySet()) {
                float[] v = e.getValue().data();
                float scale = e.getKey().endsWith("prototypes") ? 1f : 0.3f;
                for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * scale);
            }
            Tensor x = Tensor.randn(new Rng(5), 2, 1, 8, 8).requiresGrad(true).named("x");
            List<Tensor> inputs = new ArrayList<>(List.of(x));
            for (Tensor p : model.module().parameters()) if (p.requiresGrad()) inputs.add(p);
            GradCheck.Report report = GradCheck.check(() -> model.forward(x, new float[] {0.2f, 0.7f}, new int[] {1, 3}, RoutingContext.evaluation()),
                    inputs, 1e-2, 6, 6L);
            assertTrue(report.passes(3e-2), arm + ": " + report);
        }
    }

    @Test
    void trainingLossIncludesRclAndIsReproduciblePerStep() {
        ProMoE model = ProMoE.builder().seed(7).build();
        LabelledImages batch = new Shapes10(1).next(8);
        ProMoE.LossTerms terms = model.lossTerms(batch, RoutingContext.training(3, new Rng(11)));
        float a = terms.total().item();
        double mse = terms.mse(), rcl = terms.rcl();
        float b = model.loss(batch, RoutingContext.training(3, new Rng(11))).item();
        assertEquals(a, b, 0f, "same step seed, same loss");
        assertEquals(mse + rcl, a, 1e-4, "λ_RCL = 1, no load balance");
        assertTrue(rcl > 0, "two MoE layers with ≥ 2 live prototypes each give a positive RCL");
        ProMoE noRcl = ProMoE.builder().seed(7).contrastive(false).build();
        assertEquals(0, noRcl.lossTerms(batch, RoutingContext.training(3, new Rng(11))).rcl());
    }

    @Test
    void lossTermsWithTheStepsOwnDrawsIsTheTrainingLossAndTheDrawsAreWhatItTrainsOn() {
        // The trajectory cross-check records a step's draws and replays them in PyTorch: the loss on recorded draws
        // must be bit for bit the training loss, and other draws must give another loss (the draws are really used).
        ProMoE model = ProMoE.builder().seed(7).build();
        LabelledImages batch = new Shapes10(1).next(8);
        float trained = model.loss(batch, RoutingContext.training(3, new Rng(11))).item();
        ProMoE.FlowDraws draws = model.draw(batch, new Rng(11));
        assertEquals(trained, model.lossTerms(batch, draws, RoutingContext.training(3, new Rng(99))).total().item(), 0f);
        ProMoE.FlowDraws other = model.draw(batch, new Rng(12));
        assertNotEquals(trained, model.lossTerms(batch, other, RoutingContext.training(3, new Rng(11))).total().item());
        assertArrayEquals(batch.tensor().shape(), draws.noise().shape(), "one noise image per image");
        assertEquals(batch.count(), draws.sigma().length);
    }

    @Test
    void theVelocityTargetAndSamplerAgree() {
        // For data that is one known image per label, the exact velocity of the training flow at x_σ is (x_σ − x0)/σ
        // (= ε − x0, the training target); integrating it with the sampler must land exactly on the data.
        Tensor x0 = new Shapes10(9).next(4).tensor(), eps = Tensor.randn(new Rng(9), 4, 1, 16, 16);
        float[] sigma = {0.25f, 0.5f, 0.75f, 0.9f};
        Tensor xs = RectifiedFlow.interpolate(x0, eps, sigma);
        Tensor exactAtXs = exact(x0).velocity(xs, sigma, new int[4]);
        assertArrayEquals(RectifiedFlow.velocityTarget(x0, eps).toFloatArray(), exactAtXs.toFloatArray(), 1e-4f);
        for (float w : new float[] {1f, 2f}) {
            Tensor out = RectifiedFlow.sample(exact(x0), eps, new int[] {0, 1, 2, 3}, 10, 12, w);
            assertArrayEquals(x0.toFloatArray(), out.toFloatArray(), 1e-4f);
        }
    }

    private static RectifiedFlow.VelocityModel exact(Tensor x0) {
        return (x, sigma, labels) -> {
            float[] v = x.sub(x0).toFloatArray();
            int per = v.length / sigma.length;
            for (int i = 0; i < v.length; i++) v[i] /= sigma[i / per];
            return Tensor.of(v, x.shape());
        };
    }

    @Test
    void aFewTrainingStepsLowerTheLossAndSamplingGivesImages() {
        ProMoE model = ProMoE.builder().seed(8).build();
        var run = Trainer.builder(model.module(), step -> new Shapes10(100 + step).next(16),
                        (LabelledImages b, org.moelab.train.StepContext ctx) -> model.loss(b, RoutingContext.training(ctx.step(), ctx.rng())))
                .steps(40).seed(8).optimizer(AdamW.builder(model.module()).learningRate(2e-3f).weightDecay(0f).build()).clipNorm(0.5f).progress(false).fit();
        double first = run.history().steps().get(0).loss(), last = run.history().recentLoss(10);
        assertTrue(last < first, "loss " + first + " → " + last);
        Tensor samples = model.sample(new int[] {0, 5, 9}, 2f, 5, new Rng(1));
        assertArrayEquals(new int[] {3, 1, 16, 16}, samples.shape());
        for (float v : samples.toFloatArray()) assertTrue(Float.isFinite(v));
        assertTrue(model.prototypeRouters().size() == 2 && model.prototypeRouters().get(0).livePrototypes() >= 1);
    }

    @Test
    void builderRejectsBadSettingsWithTheParameterName() {
        Map<String, Runnable> bad = Map.of(
                "dModel must be divisible by 4", () -> ProMoE.builder().dModel(50).heads(5).build(),
                "heads must divide dModel", () -> ProMoE.builder().heads(5).build(),
                "patch must divide imageSize", () -> ProMoE.builder().patch(5).build(),
                "routedExperts must be >= 2", () -> ProMoE.builder().routedExperts(1).build(),
                "apply only to arm PROTOTYPE", () -> ProMoE.builder().arm(ProMoE.Arm.TOKEN_CHOICE).contrastive(false).build(),
                "arm must be one of [DENSE, TOKEN_CHOICE, EXPERT_CHOICE, PROTOTYPE]", () -> ProMoE.builder().arm(null).build(),
                "labelDropout must be in [0, 1)", () -> ProMoE.builder().labelDropout(1f).build(),
                "rclTemperature must be > 0", () -> ProMoE.builder().rclTemperature(0f).build(),
                "balanceWeight must be 0 for arm EXPERT_CHOICE", () -> ProMoE.builder().arm(ProMoE.Arm.EXPERT_CHOICE).balanceWeight(0.01f).build(),
                "gate must be one of", () -> ProMoE.builder().gate(null).build());
        bad.forEach((message, build) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run, message);
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    @Test
    void armsHaveTheirRoutersAndDefaults() {
        ProMoE promoe = ProMoE.builder().seed(1).build();
        assertEquals(2, promoe.prototypeRouters().size());
        assertEquals(PrototypeRouter.GateActivation.IDENTITY, promoe.prototypeRouters().get(0).activation());
        assertEquals("0.01", ProMoE.builder().arm(ProMoE.Arm.TOKEN_CHOICE).build().describe().get("effective balanceWeight"));
        assertEquals("0.0", promoe.describe().get("effective balanceWeight"));
        assertNotEquals(promoe.describe().get("parameters"), ProMoE.builder().arm(ProMoE.Arm.DENSE).build().describe().get("parameters"));
    }
}
