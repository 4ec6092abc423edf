package org.moelab.nn;

import org.moelab.models.CausalTransformer;
import org.moelab.models.DecoderBlock;
import org.moelab.moe.RoutingContext;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.moelab.tensor.CpuKernels;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Nd4jKernels;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Every module's output against finite differences, w.r.t. its input (when it has one) and all its parameters, under
 * both kernel implementations (the CPU default and the pure-ND4J route).
 */
class ModuleGradientTest {
    static final double TOLERANCE = 2e-2;

    /** A module, the input shape it is checked on (null: no tensor input), and how to run it. */
    record Case(String name, Module module, int[] inputShape, Function<Tensor, Tensor> run) {
        static Case layer(String name, Layer layer, int... inputShape) {
            return new Case(name, layer, inputShape, layer::forward);
        }
    }

    static Stream<Case> cases() {
        Rng rng = new Rng(3);
        Embedding embedding = new Embedding(5, 4, rng);
        int[] ids = {4, 0, 2, 2, 1, 3};
        CausalTransformer lm = CausalTransformer.builder().vocab(7).dModel(8).heads(2).layers(2).maxLen(6).ffnHidden(12).seed(5).build();
        int[] tokens = {1, 5, 2, 6, 0, 3, 3, 4};
        DecoderBlock evalDropoutBlock = new DecoderBlock(8, new LayerNorm(8), new MultiHeadAttention(8, 2, true, rng), new LayerNorm(8),
                new FeedForward(8, 12, FeedForward.Activation.GELU, rng), 0.3f);
        DecoderBlock rmsSwiGlu = new DecoderBlock(8, new RMSNorm(8), new MultiHeadAttention(8, 4, false, rng), new RMSNorm(8),
                new FeedForward(8, 8, FeedForward.Activation.SWIGLU, rng), 0f);
        DecoderBlock mixerOnly = new DecoderBlock(8, new RMSNorm(8), new MultiHeadAttention(8, 2, true, false, rng), null, null, 0f);
        return Stream.of(
                Case.layer("Linear with bias, rank-3 input", new Linear(4, 5, rng), 2, 3, 4),
                Case.layer("Linear without bias", new Linear(4, 3, false, rng), 3, 4),
                Case.layer("LayerNorm", new LayerNorm(6), 2, 3, 6),
                Case.layer("RMSNorm", new RMSNorm(6), 2, 3, 6),
                Case.layer("MultiHeadAttention causal, 2 heads", new MultiHeadAttention(8, 2, true, rng), 2, 5, 8),
                Case.layer("MultiHeadAttention bidirectional, 1 head, no bias", new MultiHeadAttention(6, 1, false, false, rng), 1, 4, 6),
                Case.layer("FeedForward GELU", new FeedForward(6, 10, FeedForward.Activation.GELU, rng), 2, 3, 6),
                Case.layer("FeedForward SwiGLU", new FeedForward(6, 10, FeedForward.Activation.SWIGLU, rng), 2, 3, 6),
                new Case("DecoderBlock LayerNorm/GELU causal, dropout in an evaluation pass", evalDropoutBlock, new int[] {2, 4, 8},
                        x -> evalDropoutBlock.forward(x, RoutingContext.evaluation())),
                new Case("DecoderBlock RMSNorm/SwiGLU bidirectional", rmsSwiGlu, new int[] {2, 3, 8}, x -> rmsSwiGlu.forward(x, RoutingContext.evaluation())),
                new Case("DecoderBlock token mixer only (no feed-forward)", mixerOnly, new int[] {2, 3, 8}, x -> mixerOnly.forward(x, RoutingContext.evaluation())),
                Case.layer("LearnedPositionalEmbedding", new LearnedPositionalEmbedding(7, 6, rng), 2, 4, 6),
                Case.layer("SinCosPositionalEmbedding 1-D", SinCosPositionalEmbedding.oneD(9, 6), 2, 5, 6),
                Case.layer("SinCosPositionalEmbedding 2-D", SinCosPositionalEmbedding.twoD(2, 3, 8), 2, 6, 8),
                new Case("Embedding", embedding, null, unused -> embedding.forward(ids, 2, 3)),
                new Case("CausalTransformer logits", lm, null, unused -> lm.forward(tokens, 2, 4)),
                new Case("CausalTransformer loss", lm, null, unused -> lm.loss(tokens, new int[] {5, 2, 6, 0, 3, 3, 4, 1}, 2, 4)));
    }

    @TestFactory
    Stream<DynamicTest> everyModuleAgainstFiniteDifferences() {
        return Stream.<Kernels>of(new CpuKernels(), new Nd4jKernels()).flatMap(kernels -> cases().map(c ->
                DynamicTest.dynamicTest(kernels.name() + ": " + c.name(), () -> check(kernels, c))));
    }

    private static void check(Kernels kernels, Case c) {
        try (var scope = Kernels.using(kernels)) {
            List<Tensor> inputs = new ArrayList<>();
            Tensor x = c.inputShape() == null ? null : Tensor.randn(new Rng(11), c.inputShape()).requiresGrad(true).named("x");
            if (x != null) inputs.add(x);
            c.module().namedParameters().forEach((name, p) -> inputs.add(p.named(name)));
            Supplier<Tensor> f = () -> c.run().apply(x);
            GradCheck.Report report = GradCheck.check(f, inputs, 1e-2, 64, 99L);
            assertTrue(report.passes(TOLERANCE), kernels.name() + ": " + c.name() + ": " + report);
        }
    }
}
