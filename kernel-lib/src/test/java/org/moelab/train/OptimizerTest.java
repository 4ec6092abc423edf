package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Tensor;

/** Update rules against hand-computed references, and optimizer state round trips. */
class OptimizerTest {
    static final float[] START = {1.0f, -2.0f, 0.5f};
    static final float[][] GRADS = {{0.5f, -1.0f, 0.0f}, {0.1f, 0.3f, -2.0f}};

    static Tensor param(float... values) {
        return Tensor.of(values, values.length).requiresGrad(true);
    }

    /** Gives p exactly the gradient g: d/dp Σ p·g = g. */
    static void setGrad(Tensor p, float[] g) {
        p.zeroGrad();
        p.mul(Tensor.of(g, g.length)).sum().backward();
    }

    static Map<String, Tensor> named(Tensor p) {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", p);
        return m;
    }

    /** PyTorch's Adam/AdamW written out in double for each element. */
    static double[] adamReference(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] p = new double[START.length], m = new double[START.length], v = new double[START.length];
        for (int i = 0; i < p.length; i++) p[i] = START[i];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = GRADS[t - 1][i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return p;
    }

    static void runTwoSteps(Optimizer opt, Tensor p) {
        for (float[] g : GRADS) {
            setGrad(p, g);
            opt.step();
        }
    }

    static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    @Test
    void adamMatchesHandComputedTwoSteps() {
        Tensor p = param(START);
        runTwoSteps(Adam.builder(named(p)).learningRate(0.1f).betas(0.9f, 0.99f).eps(1e-8f).build(), p);
        assertClose(adamReference(0.1, 0.9, 0.99, 1e-8, 0, false), p.data());
    }

    @Test
    void adamWithL2MatchesHandComputedTwoSteps() {
        Tensor p = param(START);
        runTwoSteps(Adam.builder(named(p)).learningRate(0.1f).betas(0.9f, 0.99f).weightDecay(0.2f).build(), p);
        assertClose(adamReference(0.1, 0.9, 0.99, 1e-8, 0.2, false), p.data());
    }

    @Test
    void adamWMatchesHandComputedTwoSteps() {
        Tensor p = param(START);
        Tensor matrix = Tensor.of(START, 1, 3).requiresGrad(true); // rank 2: decayed under the default policy
        runTwoSteps(AdamW.builder(named(matrix)).learningRate(0.1f).betas(0.8f, 0.95f).eps(1e-6f).weightDecay(0.5f).build(), matrix);
        assertClose(adamReference(0.1, 0.8, 0.95, 1e-6, 0.5, true), matrix.data());
        // The same numbers on a rank-1 tensor: excluded from decay by default, so plain Adam.
        runTwoSteps(AdamW.builder(named(p)).learningRate(0.1f).betas(0.8f, 0.95f).eps(1e-6f).weightDecay(0.5f).build(), p);
        assertClose(adamReference(0.1, 0.8, 0.95, 1e-6, 0, true), p.data());
    }

    @Test
    void sgdWithMomentumMatchesHandComputedTwoSteps() {
        Tensor p = param(START);
        runTwoSteps(new SGD(named(p), 0.1f, 0.9f), p);
        for (int i = 0; i < START.length; i++) {
            double buf1 = GRADS[0][i], buf2 = 0.9 * buf1 + GRADS[1][i];
            assertEquals(START[i] - 0.1 * buf1 - 0.1 * buf2, p.data()[i], 1e-6);
        }
    }

    @Test
    void parameterWithoutGradientIsNotTouched() {
        Tensor used = param(1f, 2f), unused = param(3f, 4f);
        LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
        params.put("used", used);
        params.put("unused", unused);
        AdamW opt = AdamW.builder(params).weightDecay(0.1f).decayPolicy(WeightDecayPolicy.ALL).build();
        setGrad(used, new float[] {1f, 1f});
        opt.step();
        assertArrayEquals(new float[] {3f, 4f}, unused.data());
        assertEquals(0f, opt.state().get("step.unused")[0]);
        assertEquals(1f, opt.state().get("step.used")[0]);
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Tensor a = param(START), b = param(START);
        AdamW optA = AdamW.builder(named(a)).learningRate(0.05f).build(), optB = AdamW.builder(named(b)).learningRate(0.3f).build();
        runTwoSteps(optA, a);
        System.arraycopy(a.data(), 0, b.data(), 0, START.length);
        optB.loadState(optA.state());
        assertEquals(0.05f, optB.learningRate());
        setGrad(a, GRADS[1]);
        setGrad(b, GRADS[1]);
        optA.step();
        optB.step();
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void badStateIsRejectedAndNothingChanges() {
        Tensor p = param(START);
        AdamW opt = AdamW.builder(named(p)).learningRate(0.05f).build();
        runTwoSteps(opt, p);
        LinkedHashMap<String, float[]> before = opt.state();
        LinkedHashMap<String, float[]> bad = opt.state();
        bad.put("lr", new float[] {9f});
        bad.put("exp_avg.w", new float[2]);
        bad.remove("exp_avg_sq.w");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(bad));
        assertEquals("AdamW.loadState: state does not match; nothing was loaded. Missing keys: [exp_avg_sq.w]. "
                + "Size mismatch: exp_avg.w (checkpoint has 2 values, expected 3).", e.getMessage());
        LinkedHashMap<String, float[]> after = opt.state();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }

    @Test
    void sgdStateHoldsMomentumBuffers() {
        Tensor p = param(START);
        SGD opt = new SGD(named(p), 0.1f, 0.9f);
        runTwoSteps(opt, p);
        assertEquals(java.util.List.of("lr", "momentum_buffer.w"), java.util.List.copyOf(opt.state().keySet()));
        assertFalse(new SGD(named(param(1f)), 0.1f).state().containsKey("momentum_buffer.w"));
    }

    @Test
    void badHyperParametersNameTheSetting() {
        Tensor p = param(START);
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> AdamW.builder(named(p)).learningRate(-1f).build());
        assertEquals("AdamW: lr must be a finite value >= 0, got -1.0", lr.getMessage());
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class, () -> Adam.builder(named(p)).betas(0.9f, 1f).build());
        assertEquals("Adam: beta2 must be in [0.0, 1.0), got 1.0", beta.getMessage());
        IllegalArgumentException momentum = assertThrows(IllegalArgumentException.class, () -> new SGD(named(p), 0.1f, 1.5f));
        assertEquals("SGD: momentum must be in [0.0, 1.0), got 1.5", momentum.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new SGD(new LinkedHashMap<>(), 0.1f, 0f));
        assertEquals("SGD: needs at least one parameter, got none", none.getMessage());
        IllegalArgumentException notParam = assertThrows(IllegalArgumentException.class, () -> new SGD(named(Tensor.zeros(2)), 0.1f, 0f));
        assertTrue(notParam.getMessage().contains("'w' must be a leaf tensor with requiresGrad(true)"), notParam.getMessage());
    }

    @Test
    void everyOptimizerBuiltFromAModuleLeavesFrozenParametersOut() {
        org.moelab.nn.Linear layer = new org.moelab.nn.Linear(3, 2, new org.moelab.tensor.Rng(1));
        layer.bias().requiresGrad(false);
        float[] bias = layer.bias().toFloatArray();
        for (Optimizer opt : new Optimizer[] {new SGD(layer, 0.1f), new SGD(layer, 0.1f, 0.9f),
                Adam.builder(layer).build(), AdamW.builder(layer).build()}) {
            assertTrue(opt.state().keySet().stream().noneMatch(k -> k.endsWith("bias")), opt.state().keySet().toString());
            layer.weight().zeroGrad();
            layer.forward(Tensor.ones(1, 3)).sum().backward();
            opt.step();
        }
        assertArrayEquals(bias, layer.bias().toFloatArray());
    }
}
