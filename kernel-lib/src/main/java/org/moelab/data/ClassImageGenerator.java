package org.moelab.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import org.moelab.tensor.Rng;
import org.moelab.viz.ImageGrid;

/**
 * A seeded procedural source of labelled 16×16 grayscale images of ten classes (the DiT-tiny's input in the ProMoE
 * study): the class-balanced label stream, per-class batches and the class grid are shared here, so that Shapes-10
 * and Textures-10 differ only in how one image is drawn ({@link #draw}). Labels come from shuffled blocks holding
 * each class once; every draw comes from the one {@link Rng} of the generator, so a seed fixes the stream.
 */
public abstract class ClassImageGenerator {
    public static final int SIZE = 16;
    public static final int CLASSES = 10;
    static final int PIXELS = SIZE * SIZE;

    private final Rng rng;
    private final int[] classBlock = new int[CLASSES];
    private int blockPosition = CLASSES;

    protected ClassImageGenerator(long seed) {
        this.rng = new Rng(seed);
    }

    /**
     * Draws one image of class {@code label} with {@code rng} into {@code pixels} (values in [−1, 1]) and its
     * non-background pixels into {@code foreground}, both at {@code offset} (row-major, 256 entries).
     */
    protected abstract void draw(int label, Rng rng, float[] pixels, boolean[] foreground, int offset);

    /** The class's name for grids and tables, e.g. "disk" or "vertical lines". */
    public String className(int label) {
        requireLabel(label);
        return classes()[label].name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The classes in label order (their names, lower case with spaces, are the class names). */
    protected abstract Enum<?>[] classes();

    /** count class-balanced images (any prefix of the stream has class counts within 1 of each other per block). */
    public LabelledImages next(int count) {
        requirePositive("count", count);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            if (blockPosition == CLASSES) refillBlock();
            labels[i] = classBlock[blockPosition++];
        }
        return render(labels);
    }

    /** count images of one class. */
    public LabelledImages ofClass(int label, int count) {
        requireLabel(label);
        requirePositive("count", count);
        int[] labels = new int[count];
        Arrays.fill(labels, label);
        return render(labels);
    }

    /** A grid with one row per class and {@code perClass} samples in each. */
    public BufferedImage classGrid(int perClass) {
        requirePositive("perClass", perClass);
        ImageGrid.Builder grid = ImageGrid.builder(SIZE, SIZE).valueRange(-1, 1);
        for (int c = 0; c < CLASSES; c++) {
            LabelledImages images = ofClass(c, perClass);
            float[][] row = new float[perClass][];
            for (int i = 0; i < perClass; i++) row[i] = images.image(i);
            grid.row(className(c), row);
        }
        return grid.build();
    }

    private LabelledImages render(int[] labels) {
        float[] pixels = new float[labels.length * PIXELS];
        boolean[] foreground = new boolean[pixels.length];
        for (int i = 0; i < labels.length; i++) draw(labels[i], rng, pixels, foreground, i * PIXELS);
        return new LabelledImages(pixels, labels, foreground);
    }

    private void refillBlock() {
        for (int c = 0; c < CLASSES; c++) classBlock[c] = c;
        rng.shuffle(classBlock);
        blockPosition = 0;
    }

    /** A uniform draw in [low, high). */
    static double uniform(Rng rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    /** Pixel value with Gaussian noise, clamped to [−1, 1] as every generator here stores it. */
    static float noisyPixel(double value, double noiseStd, Rng rng) {
        return (float) Math.max(-1, Math.min(1, value + noiseStd * rng.nextGaussian()));
    }

    void requireLabel(int label) {
        if (label < 0 || label >= CLASSES) throw new IllegalArgumentException(getClass().getSimpleName() + ": class label must be in [0, " + CLASSES + "), got " + label);
    }

    private void requirePositive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": " + name + " must be positive, got " + value);
    }
}
