package org.moelab.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The premise of ProMoE's second round, as a measurement: does a single 4×4 patch token — what a DiT router sees,
 * one token at a time — carry its image's class? A per-patch softmax-regression classifier is fitted on the
 * foreground patches of fresh images of each data set and scored on the foreground patches of other fresh images.
 * Its features are the 16 pixels and the magnitudes of the patch's 4×4 discrete Fourier transform (invariant to the
 * textures' random phase, which raw pixels are not). On Textures-10 every foreground patch shows its texture, so the
 * accuracy must be high; on Shapes-10 a patch is a piece of an edge or of a flat interior that many shapes share,
 * so it must be much lower. Background patches of Textures-10 are the same for every class (near chance).
 */
class PatchSemanticsTest {
    private static final int PATCH = 4, SIDE = ClassImageGenerator.SIZE, GRID = SIDE / PATCH, FEATURES = 2 * PATCH * PATCH;
    private static final int TRAIN_IMAGES = 1500, TEST_IMAGES = 1000, ITERATIONS = 300;

    @Test
    void everyForegroundPatchOfTextures10IdentifiesItsClassUnlikeShapes10() {
        double textures = patchAccuracy(ImageDataset.TEXTURES10, true), shapes = patchAccuracy(ImageDataset.SHAPES10, true);
        double texturesBackground = patchAccuracy(ImageDataset.TEXTURES10, false);
        String message = String.format(Locale.ROOT, "per-patch class accuracy on foreground 4×4 patches of fresh images: Textures-10 %.3f, "
                + "Shapes-10 %.3f (chance 0.100); Textures-10 background patches %.3f", textures, shapes, texturesBackground);
        System.out.println("PatchSemanticsTest: " + message);
        assertTrue(textures >= 0.8, message);
        assertTrue(shapes <= textures - 0.3, message);
        assertTrue(texturesBackground <= 0.25, message);
    }

    /** Accuracy of a per-patch classifier fitted on one set of images and scored on another (fixed seeds). */
    static double patchAccuracy(ImageDataset dataset, boolean foreground) {
        Patches train = patches(dataset.generator(1001).next(TRAIN_IMAGES), foreground);
        Patches test = patches(dataset.generator(2002).next(TEST_IMAGES), foreground);
        double[] mean = new double[FEATURES], scale = new double[FEATURES];
        for (double[] x : train.features) for (int f = 0; f < FEATURES; f++) mean[f] += x[f] / train.size();
        for (double[] x : train.features) for (int f = 0; f < FEATURES; f++) scale[f] += (x[f] - mean[f]) * (x[f] - mean[f]) / train.size();
        for (int f = 0; f < FEATURES; f++) scale[f] = Math.sqrt(scale[f]) + 1e-6;
        train.standardise(mean, scale);
        test.standardise(mean, scale);
        double[][] weights = fitSoftmaxRegression(train);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) correct += argmax(scores(weights, test.features.get(i))) == test.labels.get(i) ? 1 : 0;
        return correct / (double) test.size();
    }

    /** Full-batch gradient descent on the mean cross-entropy (learning rate 1, standardised features, bias last). */
    private static double[][] fitSoftmaxRegression(Patches data) {
        int classes = ClassImageGenerator.CLASSES;
        double[][] w = new double[classes][FEATURES + 1];
        for (int it = 0; it < ITERATIONS; it++) {
            double[][] grad = new double[classes][FEATURES + 1];
            for (int i = 0; i < data.size(); i++) {
                double[] x = data.features.get(i), p = softmax(scores(w, x));
                p[data.labels.get(i)] -= 1;
                for (int c = 0; c < classes; c++) {
                    for (int f = 0; f < FEATURES; f++) grad[c][f] += p[c] * x[f];
                    grad[c][FEATURES] += p[c];
                }
            }
            for (int c = 0; c < classes; c++) for (int f = 0; f <= FEATURES; f++) w[c][f] -= grad[c][f] / data.size();
        }
        return w;
    }

    private static double[] scores(double[][] w, double[] x) {
        double[] s = new double[w.length];
        for (int c = 0; c < w.length; c++) {
            s[c] = w[c][FEATURES];
            for (int f = 0; f < FEATURES; f++) s[c] += w[c][f] * x[f];
        }
        return s;
    }

    private static double[] softmax(double[] s) {
        double max = s[argmax(s)], sum = 0;
        double[] p = new double[s.length];
        for (int c = 0; c < s.length; c++) sum += p[c] = Math.exp(s[c] - max);
        for (int c = 0; c < s.length; c++) p[c] /= sum;
        return p;
    }

    private static int argmax(double[] s) {
        int best = 0;
        for (int c = 1; c < s.length; c++) if (s[c] > s[best]) best = c;
        return best;
    }

    /** The patches of the wanted token type with their image's label, as features. */
    private static Patches patches(LabelledImages images, boolean foreground) {
        Patches out = new Patches();
        boolean[] mask = images.foregroundPatches(PATCH);
        for (int i = 0; i < images.count(); i++) {
            for (int t = 0; t < GRID * GRID; t++) {
                if (mask[i * GRID * GRID + t] != foreground) continue;
                double[] patch = new double[PATCH * PATCH];
                int top = (t / GRID) * PATCH, left = (t % GRID) * PATCH;
                for (int y = 0; y < PATCH; y++) for (int x = 0; x < PATCH; x++) patch[y * PATCH + x] = images.pixels()[i * SIDE * SIDE + (top + y) * SIDE + left + x];
                out.features.add(features(patch));
                out.labels.add(images.labels()[i]);
            }
        }
        return out;
    }

    /** The 16 pixels, then |DFT(k, l)| of the 4×4 patch for k, l ∈ [0, 4). */
    private static double[] features(double[] patch) {
        double[] f = new double[FEATURES];
        System.arraycopy(patch, 0, f, 0, PATCH * PATCH);
        for (int k = 0; k < PATCH; k++) {
            for (int l = 0; l < PATCH; l++) {
                double re = 0, im = 0;
                for (int y = 0; y < PATCH; y++) {
                    for (int x = 0; x < PATCH; x++) {
                        double angle = -2 * Math.PI * (k * y + l * x) / PATCH;
                        re += patch[y * PATCH + x] * Math.cos(angle);
                        im += patch[y * PATCH + x] * Math.sin(angle);
                    }
                }
                f[PATCH * PATCH + k * PATCH + l] = Math.hypot(re, im);
            }
        }
        return f;
    }

    private static final class Patches {
        final List<double[]> features = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();

        int size() {
            return labels.size();
        }

        void standardise(double[] mean, double[] scale) {
            for (double[] x : features) for (int f = 0; f < FEATURES; f++) x[f] = (x[f] - mean[f]) / scale[f];
        }
    }
}
