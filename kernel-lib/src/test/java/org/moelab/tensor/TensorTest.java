package org.moelab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Creation, conversion, display and the autograd contract (accumulation, noGrad, detach, errors). */
class TensorTest {

    static void assertMessage(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) assertTrue(ex.getMessage().contains(f), "'" + f + "' not in: " + ex.getMessage());
    }

    @Test
    void creationAndAccess() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(6f, t.get(1, 2));
        assertEquals(21f, t.sum().item());
        assertEquals(3f, Tensor.full(3f, 2).get(1));
        assertArrayEquals(new float[] {0, 1, 2}, Tensor.arange(3).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tensor.of(new float[][] {{1, 2}, {3, 4}}).toFloatArray());
        assertMessage(() -> t.item(), "item()", "[2, 3]");
        assertMessage(() -> t.get(2, 0), "index at axis 0", "out of range");
        assertMessage(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "3 values", "[2, 2]");
    }

    @Test
    void seededRandomnessIsReproducible() {
        assertArrayEquals(Tensor.randn(new Rng(3), 4, 4).toFloatArray(), Tensor.randn(new Rng(3), 4, 4).toFloatArray());
        assertTrue(!java.util.Arrays.equals(Tensor.randn(new Rng(3), 4, 4).toFloatArray(), Tensor.randn(new Rng(4), 4, 4).toFloatArray()));
        Rng rng = new Rng(9);
        rng.nextGaussian();
        Rng.State state = rng.state();
        double next = rng.nextDouble();
        assertEquals(next, Rng.restore(state).nextDouble());
    }

    @Test
    void nd4jRoundTripKeepsValuesAndShape() {
        Tensor t = Tensor.randn(new Rng(1), 3, 4);
        INDArray a = t.toINDArray();
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertArrayEquals(t.toFloatArray(), Tensor.fromINDArray(a).toFloatArray());
        // an f-order (column-major) array comes back in row-major order
        INDArray f = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, Tensor.fromINDArray(f).toFloatArray());
    }

    @Test
    void readableTextAndHtml() {
        Tensor t = Tensor.arange(20).reshape(4, 5);
        assertTrue(t.toString().startsWith("Tensor[4, 5] [0.000, 1.000"), t.toString());
        assertTrue(t.toString().contains("(20 values)"));
        Tensor p = Tensor.ones(2).requiresGrad(true);
        assertTrue(p.toString().contains("requires_grad"));
        assertTrue(p.mul(2f).toString().contains("grad_fn=affine"));
        String html = t.toHtml();
        assertTrue(html.contains("<table>") && html.contains("<td>19.00</td>"), html);
        assertTrue(Tensor.zeros(30, 30).toHtml().contains("18 more rows"));
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        x.mul(3f).sum().backward();
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6, 6}, x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void noGradRecordsNothingAndDetachCutsTheGraph() {
        Tensor x = Tensor.ones(3).requiresGrad(true);
        try (var scope = GradMode.noGrad()) {
            Tensor y = x.exp();
            assertTrue(!y.requiresGrad() && y.op() == null);
        }
        assertTrue(GradMode.isEnabled());
        Tensor d = x.exp().detach();
        assertTrue(!d.requiresGrad());
        Tensor z = x.mul(d).sum();
        z.backward();
        assertArrayEquals(d.toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void badInputsNameTheOpAndTheShapes() {
        Tensor a = Tensor.ones(2, 3), b = Tensor.ones(4, 5);
        assertMessage(() -> a.add(b), "add", "[2, 3]", "[4, 5]", "cannot be broadcast");
        assertMessage(() -> a.matmul(b), "matmul", "[2, 3]", "[4, 5]", "3 vs 4");
        assertMessage(() -> Tensor.ones(3).matmul(b), "matmul", "rank >= 2");
        assertMessage(() -> a.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        assertMessage(() -> a.sum(2, false), "sum", "axis 2", "rank 2");
        assertMessage(() -> Reshaping.concat(0, a, b), "concat", "[2, 3]", "[4, 5]");
        assertMessage(() -> Losses.crossEntropy(a, new int[] {0}), "crossEntropy", "1 targets", "[2, 3]");
        assertMessage(() -> Losses.crossEntropy(a, new int[] {0, 7}), "crossEntropy", "target 7");
        assertMessage(() -> Attention.scaledDotProduct(a, a, a, true), "attention", "rank [4]");
        assertMessage(() -> Indexing.topK(a, 4), "topK", "k must be in [1, 3]");
        assertMessage(() -> a.slice(1, 2, 5), "slice", "[2, 5)", "size 3");
    }

    @Test
    void backwardRejectsNaNAndNonScalarsClearly() {
        Tensor x = Tensor.of(new float[] {-1f}, 1).requiresGrad(true);
        assertMessage(() -> x.sqrt().sum().backward(), "backward", "NaN");
        Tensor y = Tensor.ones(2).requiresGrad(true).mul(2f);
        assertMessage(y::backward, "backward()", "[2]", "scalar");
        assertMessage(() -> Tensor.ones(1).backward(), "does not require grad");
    }

    @Test
    void kernelsCanBeSwitchedForAScope() {
        Kernels before = Kernels.current();
        try (var scope = Kernels.using(new Nd4jKernels())) {
            assertEquals("nd4j", Kernels.current().name());
        }
        assertEquals(before, Kernels.current());
        assertNotNull(before);
    }
}
