package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every differentiable op against central finite differences, including broadcasting and odd layouts. */
class OpGradientTest {
    static final double TOLERANCE = 2e-2;

    /** One op under test: how to build its inputs and how to compute it. */
    record Case(String name, Function<Rng, List<Tensor>> inputs, Function<List<Tensor>, Tensor> op) {}

    static Tensor param(Rng rng, int... shape) {
        return Tensor.randn(rng, shape).requiresGrad(true);
    }

    /** Values kept away from 0 (for log, sqrt, div, abs and relu kinks). */
    static Tensor positive(Rng rng, int... shape) {
        return Tensor.uniform(rng, 0.5f, 2f, shape).requiresGrad(true);
    }

    static Tensor awayFromZero(Rng rng, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = d[i] >= 0 ? d[i] + 0.2f : d[i] - 0.2f;
        return t.requiresGrad(true);
    }

    static Stream<Case> cases() {
        int[] ids = {2, 0, 3, 2, 1};
        return Stream.of(
                new Case("add", r -> List.of(param(r, 3, 4), param(r, 3, 4)), in -> in.get(0).add(in.get(1))),
                new Case("add broadcast row", r -> List.of(param(r, 2, 3, 4), param(r, 4)), in -> in.get(0).add(in.get(1))),
                new Case("sub broadcast column", r -> List.of(param(r, 3, 4), param(r, 3, 1)), in -> in.get(0).sub(in.get(1))),
                new Case("mul broadcast middle", r -> List.of(param(r, 2, 3, 4), param(r, 2, 1, 4)), in -> in.get(0).mul(in.get(1))),
                new Case("mul both broadcast", r -> List.of(param(r, 3, 1), param(r, 1, 4)), in -> in.get(0).mul(in.get(1))),
                new Case("div", r -> List.of(param(r, 3, 4), positive(r, 3, 4)), in -> in.get(0).div(in.get(1))),
                new Case("div broadcast scalar", r -> List.of(param(r, 3, 4), positive(r, 1)), in -> in.get(0).div(in.get(1))),
                new Case("affine", r -> List.of(param(r, 5)), in -> in.get(0).mul(3f).add(1f)),
                new Case("exp", r -> List.of(param(r, 4, 5)), in -> in.get(0).exp()),
                new Case("log", r -> List.of(positive(r, 4, 5)), in -> in.get(0).log()),
                new Case("tanh", r -> List.of(param(r, 4, 5)), in -> in.get(0).tanh()),
                new Case("sigmoid", r -> List.of(param(r, 4, 5)), in -> in.get(0).sigmoid()),
                new Case("relu", r -> List.of(awayFromZero(r, 4, 5)), in -> in.get(0).relu()),
                new Case("gelu", r -> List.of(param(r, 4, 37)), in -> in.get(0).gelu()),
                new Case("silu", r -> List.of(param(r, 4, 37)), in -> in.get(0).silu()),
                new Case("sqrt", r -> List.of(positive(r, 6)), in -> in.get(0).sqrt()),
                new Case("square", r -> List.of(param(r, 6)), in -> in.get(0).square()),
                new Case("abs", r -> List.of(awayFromZero(r, 6)), in -> in.get(0).abs()),
                new Case("matmul", r -> List.of(param(r, 3, 4), param(r, 4, 5)), in -> in.get(0).matmul(in.get(1))),
                new Case("matmul transB", r -> List.of(param(r, 3, 4), param(r, 5, 4)), in -> in.get(0).matmul(in.get(1), false, true)),
                new Case("matmul transA", r -> List.of(param(r, 4, 3), param(r, 4, 5)), in -> in.get(0).matmul(in.get(1), true, false)),
                new Case("matmul transA transB", r -> List.of(param(r, 4, 3), param(r, 5, 4)), in -> in.get(0).matmul(in.get(1), true, true)),
                new Case("matmul rank3 x rank2", r -> List.of(param(r, 2, 3, 4), param(r, 4, 5)), in -> in.get(0).matmul(in.get(1))),
                new Case("batched matmul", r -> List.of(param(r, 2, 3, 4), param(r, 2, 4, 5)), in -> in.get(0).matmul(in.get(1))),
                new Case("batched matmul transposed", r -> List.of(param(r, 2, 4, 3), param(r, 2, 5, 4)), in -> in.get(0).matmul(in.get(1), true, true)),
                new Case("sum all", r -> List.of(param(r, 3, 4)), in -> in.get(0).sum()),
                new Case("sum axis 1", r -> List.of(param(r, 2, 3, 4)), in -> in.get(0).sum(1, false)),
                new Case("mean axis -1 keepdim", r -> List.of(param(r, 2, 3, 4)), in -> in.get(0).mean(-1, true)),
                new Case("max axis 0", r -> List.of(param(r, 3, 4)), in -> in.get(0).max(0, false)),
                new Case("cumsum axis 1", r -> List.of(param(r, 2, 5, 3)), in -> in.get(0).cumsum(1)),
                new Case("softmax", r -> List.of(param(r, 3, 7)), in -> in.get(0).softmax()),
                new Case("logSoftmax", r -> List.of(param(r, 3, 7)), in -> in.get(0).logSoftmax()),
                new Case("crossEntropy with ignore", r -> List.of(param(r, 5, 4)), in -> Losses.crossEntropy(in.get(0), new int[] {1, -100, 3, 0, 2})),
                new Case("mse", r -> List.of(param(r, 3, 4), param(r, 3, 4)), in -> Losses.mse(in.get(0), in.get(1))),
                new Case("reshape", r -> List.of(param(r, 2, 6)), in -> in.get(0).reshape(3, -1).mul(in.get(0).reshape(3, 4))),
                new Case("transpose", r -> List.of(param(r, 2, 3, 4)), in -> in.get(0).transpose(0, 2)),
                new Case("permute", r -> List.of(param(r, 2, 3, 4)), in -> in.get(0).permute(1, 2, 0)),
                new Case("concat axis 1", r -> List.of(param(r, 2, 3), param(r, 2, 2)), in -> Reshaping.concat(1, in.get(0), in.get(1))),
                new Case("split + slice", r -> List.of(param(r, 4, 5)), in -> Reshaping.split(in.get(0), 1, 2, 3).get(1).mul(in.get(0).slice(0, 1, 3).slice(1, 0, 3).add(0f).reshape(2, 3).sum(0, true).add(in.get(0).slice(1, 1, 4)))),
                new Case("gatherRows with repeats", r -> List.of(param(r, 4, 3)), in -> in.get(0).gatherRows(ids)),
                new Case("scatterAddRows", r -> List.of(param(r, 5, 3)), in -> Indexing.scatterAddRows(in.get(0), ids, 4)),
                new Case("indexAdd", r -> List.of(param(r, 4, 3), param(r, 5, 3)), in -> Indexing.indexAdd(in.get(0), ids, in.get(1))),
                new Case("indexSelect axis 1", r -> List.of(param(r, 2, 4, 3)), in -> Indexing.indexSelect(in.get(0), 1, new int[] {3, 1, 1})),
                new Case("embedding", r -> List.of(param(r, 4, 3)), in -> Indexing.embedding(in.get(0), ids, 5)),
                new Case("where", r -> List.of(param(r, 2, 3), param(r, 2, 3)), in -> Indexing.where(Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3), in.get(0), in.get(1))),
                new Case("topK values", r -> List.of(param(r, 3, 6)), in -> Indexing.topK(in.get(0), 2).values()),
                new Case("oneHot times x", r -> List.of(param(r, 3, 4)), in -> Indexing.oneHot(new int[] {1, 0, 3}, 4).mul(in.get(0))),
                new Case("dropout (seeded)", r -> List.of(param(r, 4, 5)), in -> Dropout.dropout(in.get(0), 0.3f, new Rng(5), true)),
                new Case("layerNorm", r -> List.of(param(r, 3, 6), param(r, 6), param(r, 6)), in -> Normalization.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5f)),
                new Case("rmsNorm", r -> List.of(param(r, 3, 6), param(r, 6)), in -> Normalization.rmsNorm(in.get(0), in.get(1), 1e-6f)),
                new Case("causal attention", r -> List.of(param(r, 2, 2, 5, 3), param(r, 2, 2, 5, 3), param(r, 2, 2, 5, 3)), in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), true)),
                new Case("attention", r -> List.of(param(r, 1, 2, 4, 3), param(r, 1, 2, 4, 3), param(r, 1, 2, 4, 3)), in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), false)),
                // The fused multi-head kernel on [B, T, H·dHead] rows: odd sizes exercise the 4-row blocks' remainders
                // and the scalar column tails, 9 > 8 lanes a vector plus a tail.
                new Case("causal multi-head attention", r -> List.of(param(r, 2, 7, 2 * 9), param(r, 2, 7, 2 * 9), param(r, 2, 7, 2 * 9)), in -> Attention.multiHead(in.get(0), in.get(1), in.get(2), 2, true)),
                new Case("multi-head attention", r -> List.of(param(r, 1, 6, 3 * 2), param(r, 1, 6, 3 * 2), param(r, 1, 6, 3 * 2)), in -> Attention.multiHead(in.get(0), in.get(1), in.get(2), 3, false)),
                new Case("causal depthwise conv1d", r -> List.of(param(r, 2, 6, 3), param(r, 3, 4)), in -> Convolution.causalDepthwiseConv1d(in.get(0), in.get(1))),
                new Case("tensor used twice", r -> List.of(param(r, 3, 3)), in -> in.get(0).matmul(in.get(0)).add(in.get(0).exp())));
    }

    @TestFactory
    Stream<DynamicTest> everyOpUnderEveryKernel() {
        return KernelsUnderTest.all().flatMap(kernels -> cases().map(c -> DynamicTest.dynamicTest(kernels.name() + ": " + c.name(), () -> {
            try (var scope = Kernels.using(kernels)) {
                List<Tensor> inputs = c.inputs().apply(new Rng(17));
                for (int i = 0; i < inputs.size(); i++) inputs.get(i).named("in" + i);
                Supplier<Tensor> f = () -> c.op().apply(inputs);
                GradCheck.Report report = GradCheck.check(f, inputs, 1e-2, 200, 99L);
                assertTrue(report.passes(TOLERANCE), c.name() + ": " + report);
            }
        })));
    }
}
