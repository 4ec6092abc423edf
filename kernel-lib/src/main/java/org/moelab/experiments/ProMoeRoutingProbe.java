package org.moelab.experiments;

import java.util.List;
import java.util.Set;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.models.ProMoE;
import org.moelab.models.RectifiedFlow;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.RoutingMetrics;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The routing diagnostics of the ProMoE study, measured on one fixed probe shared by every arm: real Shapes-10
 * images, the same number per class, noised to σ ∈ {0.25, 0.5, 0.75} with fixed noise and fed with their true
 * (conditional) labels. From each MoE layer's top-1 expert per token (among the routed experts):
 * <ul>
 *   <li>JS divergence between the expert histograms of the class groups 0–4 and 5–9 (the analogue of the paper's
 *       Fig. 6, two disjoint class subsets);</li>
 *   <li>MI(class; expert) in bits;</li>
 *   <li>P(expert | class) of the last MoE layer, for the heat map.</li>
 * </ul>
 * Both numbers are averaged over the MoE layers.
 */
public final class ProMoeRoutingProbe {
    private static final float[] SIGMAS = {0.25f, 0.5f, 0.75f};
    private static final Set<Integer> GROUP_A = Set.of(0, 1, 2, 3, 4), GROUP_B = Set.of(5, 6, 7, 8, 9);

    /** The probe's routing statistics for one model. */
    public record Result(double jsd, double mutualInformation, double[][] expertByClass) {}

    private final Tensor inputs;
    private final float[] sigma;
    private final int[] labels;

    public ProMoeRoutingProbe(int perClass, long seed) {
        if (perClass < 1) throw new IllegalArgumentException("ProMoeRoutingProbe: perClass must be >= 1, got " + perClass);
        Shapes10 data = new Shapes10(seed);
        int n = perClass * Shapes10.CLASSES;
        float[] pixels = new float[n * Shapes10.SIZE * Shapes10.SIZE];
        labels = new int[n];
        sigma = new float[n];
        for (int c = 0; c < Shapes10.CLASSES; c++) {
            LabelledImages images = data.ofClass(c, perClass);
            System.arraycopy(images.pixels(), 0, pixels, c * perClass * 256, perClass * 256);
            for (int i = 0; i < perClass; i++) {
                labels[c * perClass + i] = c;
                sigma[c * perClass + i] = SIGMAS[i % SIGMAS.length];
            }
        }
        Tensor x0 = Tensor.of(pixels, n, 1, Shapes10.SIZE, Shapes10.SIZE);
        inputs = RectifiedFlow.interpolate(x0, Tensor.randn(new Rng(seed).fork("probe-noise"), x0.shape()), sigma);
    }

    /** Routes the probe through the model (evaluation mode, current weights) and measures; NaNs for dense. */
    public Result measure(ProMoE model) {
        int experts = model.routedExperts();
        if (experts == 0) return new Result(Double.NaN, Double.NaN, new double[0][]);
        boolean wasTraining = model.module().isTraining();
        model.module().eval();
        RoutingContext pass = RoutingContext.evaluation();
        try (var scope = GradMode.noGrad()) {
            model.forward(inputs, sigma, labels, pass);
        } finally {
            model.module().train(wasTraining);
        }
        List<Routing> routings = model.routings(pass);
        int perImage = model.tokensPerImage();
        int[] tokenLabels = new int[labels.length * perImage];
        for (int t = 0; t < tokenLabels.length; t++) tokenLabels[t] = labels[t / perImage];
        double jsd = 0, mi = 0;
        int[] lastExperts = null;
        for (Routing r : routings) {
            int[] e = r.primaryExpert();
            for (int t = 0; t < e.length; t++) if (e[t] >= experts) e[t] = -1; // only the routed experts (not E_U)
            jsd += RoutingMetrics.jsDivergence(RoutingMetrics.expertHistogram(tokenLabels, e, experts, GROUP_A),
                    RoutingMetrics.expertHistogram(tokenLabels, e, experts, GROUP_B));
            mi += RoutingMetrics.mutualInformation(tokenLabels, e, Shapes10.CLASSES, experts);
            lastExperts = e;
        }
        double[][] byClass = new double[experts][Shapes10.CLASSES];
        for (int c = 0; c < Shapes10.CLASSES; c++) {
            double[] h = RoutingMetrics.expertHistogram(tokenLabels, lastExperts, experts, Set.of(c));
            for (int e = 0; e < experts; e++) byClass[e][c] = h[e];
        }
        return new Result(jsd / routings.size(), mi / routings.size(), byClass);
    }
}
