package org.moelab.eval;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.moelab.data.ClassImageGenerator;
import org.moelab.data.ImageDataset;
import org.moelab.data.LabelledImages;
import org.moelab.data.ShippedFiles;
import org.moelab.nn.Require;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.Checkpoint;

/**
 * The frozen evaluator of the ProMoE reproduction (notes §3.5 "Evaluator"): (i) conditional accuracy — the
 * classifier's argmax against the label a sample was generated for — and (ii) the Fréchet distance on the 64-d
 * penultimate features of {@link ShapesClassifier}. One architecture serves every {@link ImageDataset}, each with its
 * own weights: {@link #shipped(ImageDataset)} loads those trained by {@link TrainShapesEvaluator} on that data set
 * and shipped as {@code data/<dataset>-evaluator.bin} ({@link #shippedFile}); {@link #shipped()} is Shapes-10's.
 *
 * <p>Images are passed as row-major pixels [count, 16·16] in [−1, 1], as {@link LabelledImages#pixels()} holds
 * them; every call runs without a graph, in batches of {@value #BATCH}.
 */
public final class ShapesEvaluator {
    public static final String SHIPPED_FILE = "shapes10-evaluator.bin";
    static final int BATCH = 512;
    private static final int PIXELS = ClassImageGenerator.SIZE * ClassImageGenerator.SIZE;

    private final ShapesClassifier model;

    /** Evaluates with {@code model} as it is (the caller keeps it frozen). */
    public ShapesEvaluator(ShapesClassifier model) {
        this.model = Require.notNull("ShapesEvaluator", "model", model);
    }

    private static final Map<ImageDataset, ShapesEvaluator> SHIPPED = new EnumMap<>(ImageDataset.class);

    /** The shipped Shapes-10 evaluator ({@value #SHIPPED_FILE}). */
    public static ShapesEvaluator shipped() {
        return shipped(ImageDataset.SHAPES10);
    }

    /**
     * The shipped evaluator of {@code dataset}, loaded on first use and then shared (a failed load is retried on
     * the next call).
     */
    public static synchronized ShapesEvaluator shipped(ImageDataset dataset) {
        Require.notNull("ShapesEvaluator", "dataset", dataset);
        ShapesEvaluator evaluator = SHIPPED.get(dataset);
        if (evaluator == null) {
            String file = shippedFile(dataset);
            evaluator = load(ShippedFiles.bytes(file), "shipped file " + file);
            SHIPPED.put(dataset, evaluator);
        }
        return evaluator;
    }

    /** The shipped weights' file name under {@code data/}: the data set's name in lower case + "-evaluator.bin". */
    public static String shippedFile(ImageDataset dataset) {
        return dataset.name().toLowerCase(Locale.ROOT) + "-evaluator.bin";
    }

    /** An evaluator from checkpoint bytes (as {@link Checkpoint} writes them); {@code source} names them in errors. */
    public static ShapesEvaluator load(byte[] bytes, String source) {
        ShapesClassifier model = new ShapesClassifier(new Rng(0));
        restore(model, Checkpoint.decode(bytes, source), source);
        model.eval();
        return new ShapesEvaluator(model);
    }

    /**
     * Copies the checkpoint's parameters into {@code model}, or throws naming the source and the mismatching
     * parameters and leaves {@code model} unchanged.
     */
    public static void restore(ShapesClassifier model, Checkpoint checkpoint, String source) {
        try {
            checkpoint.restoreInto(model, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ShapesEvaluator: " + source + " does not hold ShapesClassifier weights ("
                    + model.numParameters() + " parameters: conv1, conv2, hidden, head): " + e.getMessage(), e);
        }
    }

    public ShapesClassifier model() {
        return model;
    }

    /** The 64 penultimate features of each image: [count][64]. */
    public float[][] features(float[] pixels, int count) {
        requireImages(pixels, count);
        float[][] out = new float[count][];
        try (var scope = GradMode.noGrad()) {
            for (int start = 0; start < count; start += BATCH) {
                int n = Math.min(BATCH, count - start);
                float[] f = model.features(batch(pixels, start, n)).toFloatArray();
                for (int i = 0; i < n; i++) out[start + i] = java.util.Arrays.copyOfRange(f, i * ShapesClassifier.FEATURES, (i + 1) * ShapesClassifier.FEATURES);
            }
        }
        return out;
    }

    /** The most likely class of each image. */
    public int[] predict(float[] pixels, int count) {
        requireImages(pixels, count);
        int[] out = new int[count];
        int classes = ClassImageGenerator.CLASSES;
        try (var scope = GradMode.noGrad()) {
            for (int start = 0; start < count; start += BATCH) {
                int n = Math.min(BATCH, count - start);
                float[] logits = model.logits(batch(pixels, start, n)).toFloatArray();
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
                    out[start + i] = best;
                }
            }
        }
        return out;
    }

    /** The share of images classified as their label (one label per image; count = labels.length). */
    public double conditionalAccuracy(float[] pixels, int[] labels) {
        Require.notNull("ShapesEvaluator", "labels", labels);
        int[] predicted = predict(pixels, labels.length);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) correct += predicted[i] == labels[i] ? 1 : 0;
        return correct / (double) labels.length;
    }

    /** Feature mean and covariance of a set of images, e.g. 2000 real ones computed once as the FD reference. */
    public FrechetDistance.Statistics statistics(float[] pixels, int count) {
        return FrechetDistance.Statistics.of(features(pixels, count));
    }

    /** FD between the feature sets of two image sets (each count ≥ 2). */
    public double frechetDistance(float[] pixelsA, int countA, float[] pixelsB, int countB) {
        return FrechetDistance.between(statistics(pixelsA, countA), statistics(pixelsB, countB));
    }

    /** FD between a set of images and precomputed reference statistics. */
    public double frechetDistance(float[] pixels, int count, FrechetDistance.Statistics reference) {
        return FrechetDistance.between(statistics(pixels, count), Require.notNull("ShapesEvaluator", "reference", reference));
    }

    private static Tensor batch(float[] pixels, int start, int n) {
        float[] x = java.util.Arrays.copyOfRange(pixels, start * PIXELS, (start + n) * PIXELS);
        return Tensor.of(x, n, 1, ClassImageGenerator.SIZE, ClassImageGenerator.SIZE);
    }

    private static void requireImages(float[] pixels, int count) {
        Require.notNull("ShapesEvaluator", "pixels", pixels);
        Require.positive("ShapesEvaluator", "count", count);
        if (pixels.length != (long) count * PIXELS) {
            throw new IllegalArgumentException("ShapesEvaluator: pixels must hold count × 16·16 = " + (long) count * PIXELS
                    + " values (row-major [count, 256]) but has " + pixels.length);
        }
    }
}
