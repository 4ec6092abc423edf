package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.moelab.tensor.Convolution;
import org.moelab.tensor.CpuKernels;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Nd4jKernels;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Convolution.conv2d and the Conv2d layer: against a naive loop, gradients under both kernels, validation. */
class Conv2dTest {
    private static final double TOLERANCE = 2e-2;

    /** The definition, written as plainly as possible: out[n,o,y,x] = b[o] + Σ w[o,c,i,j]·x[n,c,y·s−p+i, x·s−p+j]. */
    private static float[] naiveConv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), k = w.size(2);
        int oh = (h + 2 * padding - k) / stride + 1, ow = (wd + 2 * padding - k) / stride + 1;
        float[] out = new float[n * o * oh * ow];
        int idx = 0;
        for (int bn = 0; bn < n; bn++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ic = 0; ic < c; ic++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int iy = y * stride - padding + i, ix = xx * stride - padding + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) s += w.get(oc, ic, i, j) * x.get(bn, ic, iy, ix);
                                }
                            }
                        }
                        out[idx++] = (float) s;
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"3, 1, 0", "3, 2, 1", "3, 1, 1", "2, 2, 0", "1, 1, 0", "5, 3, 2"})
    void matchesTheNaiveLoop(int kernel, int stride, int padding) {
        Rng rng = new Rng(11);
        Tensor x = Tensor.randn(rng, 2, 3, 7, 6);
        Tensor w = Tensor.randn(rng, 4, 3, kernel, kernel);
        Tensor b = Tensor.randn(rng, 4);
        Tensor y = Convolution.conv2d(x, w, b, stride, padding);
        int oh = (7 + 2 * padding - kernel) / stride + 1, ow = (6 + 2 * padding - kernel) / stride + 1;
        assertArrayEquals(new int[] {2, 4, oh, ow}, y.shape());
        assertArrayEquals(naiveConv2d(x, w, b, stride, padding), y.toFloatArray(), 1e-4f);
        assertArrayEquals(naiveConv2d(x, w, null, stride, padding), Convolution.conv2d(x, w, null, stride, padding).toFloatArray(), 1e-4f);
    }

    @ParameterizedTest
    @CsvSource({"3, 1, 0", "3, 2, 1", "2, 1, 1"})
    void gradientsOfInputWeightAndBiasUnderBothKernels(int kernel, int stride, int padding) {
        for (Kernels kernels : List.<Kernels>of(new CpuKernels(), new Nd4jKernels())) {
            try (var scope = Kernels.using(kernels)) {
                Rng rng = new Rng(5);
                Tensor x = Tensor.randn(rng, 2, 2, 6, 5).requiresGrad(true).named("x");
                Tensor w = Tensor.randn(rng, 3, 2, kernel, kernel).requiresGrad(true).named("w");
                Tensor b = Tensor.randn(rng, 3).requiresGrad(true).named("b");
                GradCheck.Report report = GradCheck.check(() -> Convolution.conv2d(x, w, b, stride, padding), List.of(x, w, b), 1e-2, 200, 7L);
                assertTrue(report.passes(TOLERANCE), kernels.getClass().getSimpleName() + ": " + report);
            }
        }
    }

    @Test
    void layerGradientsThroughANonlinearity() {
        Conv2d conv = new Conv2d(1, 4, 3, 2, 1, new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), 3, 1, 8, 8).requiresGrad(true).named("x");
        GradCheck.Report report = GradCheck.check(() -> conv.forward(x).tanh(), List.of(x, conv.weight(), conv.bias()), 1e-2, 100, 9L);
        assertTrue(report.passes(TOLERANCE), report.toString());
    }

    @Test
    void noGraphUnderNoGrad() {
        Conv2d conv = new Conv2d(1, 2, 3, 1, 1, new Rng(3));
        try (var scope = GradMode.noGrad()) {
            assertNull(conv.forward(Tensor.zeros(1, 1, 4, 4)).op());
        }
        assertEquals("conv2d", conv.forward(Tensor.zeros(1, 1, 4, 4)).op());
    }

    @Test
    void layerShapesNamesAndInit() {
        Conv2d conv = new Conv2d(3, 8, 3, 2, 1, new Rng(1));
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.stateDict().keySet()));
        assertArrayEquals(new int[] {8, 3, 3, 3}, conv.weight().shape());
        float bound = (float) (1 / Math.sqrt(27));
        for (float v : conv.weight().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        assertEquals(8, conv.outputSize(16));
        assertArrayEquals(new int[] {2, 8, 8, 8}, conv.forward(Tensor.zeros(2, 3, 16, 16)).shape());
        assertEquals(1, new Conv2d(1, 1, 3, 1, 0, false, new Rng(1)).stateDict().size());
    }

    @Test
    void badArgumentsNameTheParameter() {
        assertMessage("Conv2d: kernel must be >= 1, got 0", () -> new Conv2d(1, 1, 0, 1, 0, new Rng(1)));
        assertMessage("Conv2d: stride must be >= 1, got 0", () -> new Conv2d(1, 1, 3, 0, 0, new Rng(1)));
        assertMessage("Conv2d: padding must be >= 0, got -1", () -> new Conv2d(1, 1, 3, 1, -1, new Rng(1)));
        assertMessage("input must be [N, 3, H, W]", () -> new Conv2d(3, 1, 3, 1, 0, new Rng(1)).forward(Tensor.zeros(1, 1, 4, 4)));
        assertMessage("kernel 5 is larger than the padded input", () -> new Conv2d(1, 1, 5, 1, 0, new Rng(1)).forward(Tensor.zeros(1, 1, 4, 4)));
        assertMessage("bias must be [2]", () -> Convolution.conv2d(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(2, 1, 3, 3), Tensor.zeros(3), 1, 0));
        assertMessage("square kernel", () -> Convolution.conv2d(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(2, 1, 3, 2), null, 1, 0));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
