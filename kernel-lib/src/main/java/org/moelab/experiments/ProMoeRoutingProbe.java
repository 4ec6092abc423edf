package org.moelab.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.moelab.data.ClassImageGenerator;
import org.moelab.data.ImageDataset;
import org.moelab.data.LabelledImages;
import org.moelab.models.ProMoE;
import org.moelab.models.RectifiedFlow;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.RoutingMetrics;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The routing diagnostics of the ProMoE study, measured on one fixed probe shared by every arm: real images of the
 * study's data set, the same number per class, noised to σ ∈ {0.25, 0.5, 0.75} with fixed noise and fed with their
 * true (conditional) labels. From each MoE layer's top-1 expert per token (among the routed experts):
 * <ul>
 *   <li>JS divergence between the expert histograms of the class groups 0–4 and 5–9 (the analogue of the paper's
 *       Fig. 6, two disjoint class subsets);</li>
 *   <li>MI(class; expert) in bits, over all tokens (each token labelled with its image's class);</li>
 *   <li>P(expert | class) of the last MoE layer, for the heat map.</li>
 * </ul>
 * Both numbers are averaged over the MoE layers. Because an average over all tokens mixes tokens that show the
 * object with tokens of plain background (which cannot carry the class, so class-blind routing of them is no
 * evidence against the method), MI(class; expert) is also reported per MoE layer and separately for foreground and
 * background tokens ({@link Result#breakdown()}): a token is foreground when more than half of its patch's pixels
 * are (the generator's own mask of the clean image, {@link LabelledImages#foregroundPatches}). The plug-in MI of a
 * few hundred tokens is biased upwards by roughly (classes − 1)(experts − 1) / (2·N·ln 2) bits — about 0.07 bit for
 * the quick preset's foreground tokens of Shapes-10 — so each token type also gets its chance level: the mean MI
 * over {@value #NULL_PERMUTATIONS} fixed random permutations of the images' class labels (each image's tokens keep
 * their experts and their token type), which is what class-blind routing would score.
 */
public final class ProMoeRoutingProbe {
    private static final float[] SIGMAS = {0.25f, 0.5f, 0.75f};
    private static final Set<Integer> GROUP_A = Set.of(0, 1, 2, 3, 4), GROUP_B = Set.of(5, 6, 7, 8, 9);
    private static final int CLASSES = ClassImageGenerator.CLASSES;

    /**
     * The probe's routing statistics for one model.
     *
     * @param jsd                    JSD(classes 0–4 vs 5–9), mean over MoE layers
     * @param mutualInformation      MI(class; expert) over all tokens, mean over MoE layers
     * @param expertByClass          P(expert | class) [routed experts][classes], last MoE layer
     * @param moeBlocks              the block index of each MoE layer
     * @param layerMutualInformation MI over all tokens, per MoE layer
     * @param layerForegroundMI      MI over foreground tokens only, per MoE layer
     * @param layerBackgroundMI      MI over background tokens only, per MoE layer
     * @param foregroundShare        share of the probe's tokens that are foreground
     * @param foregroundChanceMI     MI over foreground tokens with the images' class labels permuted, mean over
     *                               permutations and MoE layers: the chance level of {@link #foregroundMI()}
     * @param backgroundChanceMI     the same for background tokens
     */
    public record Result(double jsd, double mutualInformation, double[][] expertByClass, List<Integer> moeBlocks,
                         double[] layerMutualInformation, double[] layerForegroundMI, double[] layerBackgroundMI, double foregroundShare,
                         double foregroundChanceMI, double backgroundChanceMI) {

        /** Dense: no routed experts, so nothing to measure. */
        static Result none() {
            return new Result(Double.NaN, Double.NaN, new double[0][], List.of(), new double[0], new double[0], new double[0], Double.NaN, Double.NaN, Double.NaN);
        }

        /** MI over foreground tokens, mean over MoE layers (NaN for dense). */
        public double foregroundMI() {
            return meanOverLayers(layerForegroundMI);
        }

        /** MI over background tokens, mean over MoE layers (NaN for dense). */
        public double backgroundMI() {
            return meanOverLayers(layerBackgroundMI);
        }

        /**
         * The per-token-type and per-layer MI as named columns of the report's runs table, in a fixed order: the
         * foreground and background means over layers and their chance levels, then per MoE layer (named by its
         * block index) all, foreground and background tokens. Empty for dense.
         */
        public Map<String, Double> breakdown() {
            Map<String, Double> out = new LinkedHashMap<>();
            if (moeBlocks.isEmpty()) return out;
            out.put(MI_FOREGROUND, foregroundMI());
            out.put(MI_BACKGROUND, backgroundMI());
            out.put(MI_FOREGROUND_CHANCE, foregroundChanceMI);
            out.put(MI_BACKGROUND_CHANCE, backgroundChanceMI);
            for (int l = 0; l < moeBlocks.size(); l++) {
                int block = moeBlocks.get(l);
                out.put(String.format(Locale.ROOT, "MI (layer %d)", block), layerMutualInformation[l]);
                out.put(String.format(Locale.ROOT, "MI fg (layer %d)", block), layerForegroundMI[l]);
                out.put(String.format(Locale.ROOT, "MI bg (layer %d)", block), layerBackgroundMI[l]);
            }
            return out;
        }

        private static double meanOverLayers(double[] values) {
            if (values.length == 0) return Double.NaN;
            double sum = 0;
            for (double v : values) sum += v;
            return sum / values.length;
        }
    }

    /** Column names of the token-type means in {@link Result#breakdown()}. */
    public static final String MI_FOREGROUND = "MI fg (mean over layers)", MI_BACKGROUND = "MI bg (mean over layers)";
    /** Column names of their chance levels (class labels permuted over images). */
    public static final String MI_FOREGROUND_CHANCE = "MI fg chance (mean over layers)", MI_BACKGROUND_CHANCE = "MI bg chance (mean over layers)";
    /** The token-type columns (means over layers and their chance levels): what the summary table shows. */
    public static final List<String> TOKEN_TYPE_COLUMNS = List.of(MI_FOREGROUND, MI_BACKGROUND, MI_FOREGROUND_CHANCE, MI_BACKGROUND_CHANCE);
    static final int NULL_PERMUTATIONS = 20;
    private static final long NULL_SEED = 2_510_024_711L;

    private final LabelledImages clean;
    private final Tensor inputs;
    private final float[] sigma;

    /** perClass real images of each class of {@code dataset}, drawn and noised from {@code seed}. */
    public ProMoeRoutingProbe(ImageDataset dataset, int perClass, long seed) {
        if (perClass < 1) throw new IllegalArgumentException("ProMoeRoutingProbe: perClass must be >= 1, got " + perClass);
        ClassImageGenerator data = dataset.generator(seed);
        int n = perClass * CLASSES, pixelsPerImage = LabelledImages.PIXELS;
        float[] pixels = new float[n * pixelsPerImage];
        boolean[] foreground = new boolean[pixels.length];
        int[] labels = new int[n];
        sigma = new float[n];
        for (int c = 0; c < CLASSES; c++) {
            LabelledImages images = data.ofClass(c, perClass);
            System.arraycopy(images.pixels(), 0, pixels, c * perClass * pixelsPerImage, perClass * pixelsPerImage);
            System.arraycopy(images.foreground(), 0, foreground, c * perClass * pixelsPerImage, perClass * pixelsPerImage);
            for (int i = 0; i < perClass; i++) {
                labels[c * perClass + i] = c;
                sigma[c * perClass + i] = SIGMAS[i % SIGMAS.length];
            }
        }
        clean = new LabelledImages(pixels, labels, foreground);
        Tensor x0 = clean.tensor();
        inputs = RectifiedFlow.interpolate(x0, Tensor.randn(new Rng(seed).fork("probe-noise"), x0.shape()), sigma);
    }

    /** The clean probe images (before noising), with their labels and foreground masks. */
    public LabelledImages images() {
        return clean;
    }

    /**
     * The routing of every MoE layer for the probe's noised images (evaluation mode, current weights, no gradients),
     * tokens image-major then patch row-major: what {@link #measure} scores and {@code %moe inspect} draws.
     */
    public List<Routing> route(ProMoE model) {
        boolean wasTraining = model.module().isTraining();
        model.module().eval();
        RoutingContext pass = RoutingContext.evaluation();
        try (var scope = GradMode.noGrad()) {
            model.forward(inputs, sigma, clean.labels(), pass);
        } finally {
            model.module().train(wasTraining);
        }
        return model.routings(pass);
    }

    /** Routes the probe through the model (evaluation mode, current weights) and measures; NaNs for dense. */
    public Result measure(ProMoE model) {
        int experts = model.routedExperts();
        if (experts == 0) return Result.none();
        int[] labels = clean.labels();
        List<Routing> routings = route(model);
        int perImage = model.tokensPerImage();
        boolean[] foregroundToken = clean.foregroundPatches(model.patchSize());
        int[] tokenLabels = new int[labels.length * perImage];
        int foregroundTokens = 0;
        for (int t = 0; t < tokenLabels.length; t++) {
            tokenLabels[t] = labels[t / perImage];
            if (foregroundToken[t]) foregroundTokens++;
        }
        int[] foregroundLabels = tokenLabels(labels, perImage, foregroundToken, true), backgroundLabels = tokenLabels(labels, perImage, foregroundToken, false);
        double jsd = 0, mi = 0;
        double[] layerMI = new double[routings.size()], layerForeground = new double[routings.size()], layerBackground = new double[routings.size()];
        int[][] routedExperts = new int[routings.size()][];
        for (int l = 0; l < routings.size(); l++) {
            int[] e = routings.get(l).primaryExpert();
            for (int t = 0; t < e.length; t++) if (e[t] >= experts) e[t] = -1; // only the routed experts (not E_U)
            jsd += RoutingMetrics.jsDivergence(RoutingMetrics.expertHistogram(tokenLabels, e, experts, GROUP_A),
                    RoutingMetrics.expertHistogram(tokenLabels, e, experts, GROUP_B));
            layerMI[l] = RoutingMetrics.mutualInformation(tokenLabels, e, CLASSES, experts);
            mi += layerMI[l];
            layerForeground[l] = RoutingMetrics.mutualInformation(foregroundLabels, e, CLASSES, experts);
            layerBackground[l] = RoutingMetrics.mutualInformation(backgroundLabels, e, CLASSES, experts);
            routedExperts[l] = e;
        }
        int[] lastExperts = routedExperts[routedExperts.length - 1];
        double[] chance = chanceMutualInformation(routedExperts, foregroundToken, perImage, experts);
        double[][] byClass = new double[experts][CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            double[] h = RoutingMetrics.expertHistogram(tokenLabels, lastExperts, experts, Set.of(c));
            for (int e = 0; e < experts; e++) byClass[e][c] = h[e];
        }
        return new Result(jsd / routings.size(), mi / routings.size(), byClass, model.moeBlocks(), layerMI, layerForeground, layerBackground,
                foregroundTokens / (double) tokenLabels.length, chance[0], chance[1]);
    }

    /**
     * Each token's image label where the token is of the wanted type (foreground or background), −1 elsewhere:
     * {@link RoutingMetrics} skips label −1, so MI over these labels is MI over that token type only.
     */
    private static int[] tokenLabels(int[] imageLabels, int perImage, boolean[] foregroundToken, boolean foreground) {
        int[] out = new int[foregroundToken.length];
        for (int t = 0; t < out.length; t++) out[t] = foregroundToken[t] == foreground ? imageLabels[t / perImage] : -1;
        return out;
    }

    /**
     * {foreground, background} MI with the images' class labels permuted ({@value #NULL_PERMUTATIONS} fixed
     * permutations), mean over permutations and layers.
     */
    private double[] chanceMutualInformation(int[][] routedExperts, boolean[] foregroundToken, int perImage, int experts) {
        Rng rng = new Rng(NULL_SEED);
        int[] imageLabels = clean.labels().clone();
        double foreground = 0, background = 0;
        for (int p = 0; p < NULL_PERMUTATIONS; p++) {
            rng.shuffle(imageLabels);
            int[] foregroundLabels = tokenLabels(imageLabels, perImage, foregroundToken, true), backgroundLabels = tokenLabels(imageLabels, perImage, foregroundToken, false);
            for (int[] e : routedExperts) {
                foreground += RoutingMetrics.mutualInformation(foregroundLabels, e, CLASSES, experts);
                background += RoutingMetrics.mutualInformation(backgroundLabels, e, CLASSES, experts);
            }
        }
        double draws = NULL_PERMUTATIONS * (double) routedExperts.length;
        return new double[] {foreground / draws, background / draws};
    }
}
