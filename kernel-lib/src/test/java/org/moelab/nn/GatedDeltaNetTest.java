package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.GradCheck;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Gated DeltaNet's initialisation (issue 13: fla's N(0, 0.02) for every projection and short-conv filter, or the
 * old PyTorch defaults with initStd = 0) and finite-difference gradients of the whole layer under both inits.
 */
class GatedDeltaNetTest {
    static final int D = 32, H = 2, DK = 8, DV = 8;

    static double std(float[] v) {
        double s = 0, s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double m = s / v.length;
        return Math.sqrt(s2 / v.length - m * m);
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void flaInitDrawsEveryProjectionAndConvFromNormalPointZeroTwo() {
        GatedDeltaNet gdn = new GatedDeltaNet(D, H, DK, DV, new Rng(1));
        int checked = 0;
        for (var e : gdn.namedParameters().entrySet()) {
            String n = e.getKey();
            float[] w = e.getValue().data();
            if (n.endsWith("A_log")) {
                for (float a : w) assertTrue(a <= Math.log(16) + 1e-6, n + " = log A with A ~ U(0, 16): " + a);
            } else if (n.endsWith("dt_bias")) {
                // dt = softplus(dt_bias) ∈ [1e-3, 0.1]
                for (float b : w) {
                    double dt = Math.log1p(Math.exp(b));
                    assertTrue(dt >= 0.99e-3 && dt <= 0.101, n + ": softplus(dt_bias) = " + dt);
                }
            } else if (n.endsWith("norm.weight")) {
                for (float g : w) assertEquals(1f, g, n);
            } else {
                // q [16×32], conv filters [16×4], gate, out ...: hundreds of draws each; sd of the estimate ≈ 0.02/√(2n)
                double tol = w.length >= 256 ? 0.15 : 0.4;
                assertEquals(GatedDeltaNet.INIT_STD, std(w), GatedDeltaNet.INIT_STD * tol, n + " std");
                checked++;
            }
        }
        assertEquals(10, checked, "q, 3 convs, k, v, beta, decay, gate, out: all re-initialised: " + gdn.namedParameters().keySet());
    }

    @Test
    void initStdZeroKeepsThePytorchDefaults() {
        GatedDeltaNet gdn = new GatedDeltaNet(D, H, DK, DV, 0f, new Rng(1));
        var p = gdn.namedParameters();
        double linearBound = 1 / Math.sqrt(D), convBound = 1 / Math.sqrt(4);
        assertTrue(maxAbs(p.get("core.q.weight").data()) <= linearBound);
        assertTrue(maxAbs(p.get("core.q.weight").data()) > 0.8 * linearBound, "uniform over ±1/√d, not N(0, 0.02)");
        assertTrue(maxAbs(p.get("core.convK.weight").data()) <= convBound);
        assertTrue(maxAbs(p.get("core.convK.weight").data()) > 0.8 * convBound);
        assertThrows(IllegalArgumentException.class, () -> new GatedDeltaNet(D, H, DK, DV, -1f, new Rng(1)));
    }

    @Test
    void shortConvolutionNormalInit() {
        ShortConvolution c = new ShortConvolution(512, 4, 0.05f, new Rng(3));
        assertEquals(0.05, std(c.weight().data()), 0.003);
        assertThrows(IllegalArgumentException.class, () -> new ShortConvolution(4, 4, -0.1f, new Rng(3)));
    }

    @Test
    void linearNormalInitHasZeroBias() {
        Linear l = new Linear(64, 128, true, 0.02f, new Rng(4));
        assertEquals(0.02, std(l.weight().data()), 0.001);
        assertEquals(0.0, maxAbs(l.bias().data()));
    }

    /** Every parameter of the layer and its input, at fla's init (small weights: the L2 norms' Jacobians are large). */
    @Test
    void gradientsOfTheWholeLayerAtFlaInit() {
        checkGradients(new GatedDeltaNet(6, H, 3, 4, new Rng(5)));
    }

    @Test
    void gradientsOfTheWholeLayerAtPytorchInit() {
        checkGradients(new GatedDeltaNet(6, H, 3, 4, 0f, new Rng(5)));
    }

    private static void checkGradients(GatedDeltaNet gdn) {
        Tensor x = Tensor.randn(new Rng(6), 2, 5, 6).requiresGrad(true);
        List<Tensor> checked = new ArrayList<>(List.of(x));
        checked.addAll(gdn.namedParameters().values());
        // A step of 2e-3, a tenth of the smallest init scale (0.02), so each probe is a small change of the weight.
        GradCheck.Report rep = GradCheck.check(() -> gdn.forward(x), checked, 2e-3, 60, 3);
        assertTrue(rep.passes(3e-2), rep.toString());
    }
}
