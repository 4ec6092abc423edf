package org.moelab.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Finite-difference gradient checking for any function of tensors, for tests and for notebook users checking
 * their own layers.
 *
 * <p>The function's output is reduced to a scalar with fixed random weights (so every output element matters and
 * errors cannot cancel), the analytic gradient comes from {@link Tensor#backward()}, and each input element is
 * perturbed by ±eps with central differences. Tensors are float32, so the forward runs in float32 while the
 * perturbation, the weighted sums and the differences are accumulated in double; eps is relative to the value's
 * magnitude. Report: max relative error |a − n| / max(|a| + |n|, floor) over all checked elements.
 */
public final class GradCheck {
    private GradCheck() {}

    /** The worst disagreement found, and where. */
    public record Report(double maxRelativeError, double maxAbsoluteError, String worstInput, int worstIndex,
                         double analytic, double numeric, int checked) {
        public boolean passes(double tolerance) {
            return maxRelativeError <= tolerance;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "GradCheck: %d elements, max rel err %.3g (abs %.3g) at %s[%d]: analytic %.6g vs numeric %.6g",
                    checked, maxRelativeError, maxAbsoluteError, worstInput, worstIndex, analytic, numeric);
        }
    }

    /**
     * Checks d f / d input for every input (each must be a leaf with {@code requiresGrad}). Up to
     * {@code maxElementsPerInput} elements per input are checked (spread evenly), so large parameters stay cheap.
     */
    public static Report check(Supplier<Tensor> f, List<Tensor> inputs, double eps, int maxElementsPerInput, long seed) {
        for (Tensor in : inputs) {
            if (!in.requiresGrad() || in.op() != null) throw new IllegalArgumentException("GradCheck: every input must be a leaf with requiresGrad(true)");
            in.zeroGrad();
        }
        Tensor probe = f.get();
        Rng rng = new Rng(seed);
        float[] weights = new float[probe.numel()];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (rng.nextDouble() * 2 - 1);
        Tensor w = Tensor.of(weights, probe.shape());
        probe.mul(w).sum().backward();
        List<float[]> analytic = new ArrayList<>();
        for (Tensor in : inputs) analytic.add(in.grad == null ? new float[in.numel()] : in.grad.clone());

        double worstRel = 0, worstAbs = 0, worstA = 0, worstN = 0;
        String worstName = "";
        int worstIdx = -1, checked = 0;
        try (var scope = GradMode.noGrad()) {
            for (int t = 0; t < inputs.size(); t++) {
                Tensor in = inputs.get(t);
                int n = in.numel();
                int step = Math.max(1, n / Math.max(1, maxElementsPerInput));
                for (int i = 0; i < n; i += step) {
                    float original = in.data[i];
                    double h = eps * Math.max(1.0, Math.abs(original));
                    in.data[i] = (float) (original + h);
                    double plus = weightedSum(f.get(), weights);
                    in.data[i] = (float) (original - h);
                    double minus = weightedSum(f.get(), weights);
                    in.data[i] = original;
                    double numeric = (plus - minus) / (2 * h);
                    double a = analytic.get(t)[i];
                    double abs = Math.abs(a - numeric);
                    double rel = abs / Math.max(Math.abs(a) + Math.abs(numeric), 1e-2);
                    checked++;
                    if (rel > worstRel || worstIdx < 0) {
                        worstRel = rel;
                        worstAbs = abs;
                        worstA = a;
                        worstN = numeric;
                        worstName = in.name() != null ? in.name() : "input" + t;
                        worstIdx = i;
                    }
                }
            }
        }
        for (Tensor in : inputs) in.zeroGrad();
        return new Report(worstRel, worstAbs, worstName, worstIdx, worstA, worstN, checked);
    }

    public static Report check(Supplier<Tensor> f, Tensor... inputs) {
        return check(f, List.of(inputs), 1e-2, 64, 1234L);
    }

    private static double weightedSum(Tensor y, float[] weights) {
        double s = 0;
        for (int i = 0; i < weights.length; i++) s += (double) y.data[i] * weights[i];
        return s;
    }
}
