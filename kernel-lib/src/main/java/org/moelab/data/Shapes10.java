package org.moelab.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.viz.ImageGrid;

/**
 * "Shapes-10": procedural, seeded 16×16 grayscale images of ten shape classes (ProMoE's CPU-scale data set, notes
 * §3.5). Per image: centre 7.5 ± 2 px, half-size 3–6 px, stroke 1–2 px, rotation ±10°, intensity 0.7–1.0, coverage
 * from 4×4 supersampling, pixel = −1 + 2·intensity·coverage + N(0, 0.03), clamped to [−1, 1] (background −1).
 * Batches are class-balanced: labels come from shuffled blocks holding each class once.
 */
public final class Shapes10 {
    public static final int SIZE = 16;
    public static final int CLASSES = 10;
    private static final int SUPERSAMPLE = 4;
    private static final double NOISE_STD = 0.03;

    /** The ten classes, in label order. */
    public enum Shape { DISK, RING, FILLED_SQUARE, SQUARE_OUTLINE, TRIANGLE, PLUS, X, HORIZONTAL_BARS, VERTICAL_BARS, DIAMOND }

    /** Images [count, 1, 16, 16] flattened row-major, with their labels. */
    public record Images(float[] pixels, int[] labels) {
        public int count() {
            return labels.length;
        }

        /** One image's 256 pixels. */
        public float[] image(int i) {
            return Arrays.copyOfRange(pixels, i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
        }

        /** The images as a tensor [count, 1, 16, 16]. */
        public Tensor tensor() {
            return Tensor.of(pixels.clone(), count(), 1, SIZE, SIZE);
        }
    }

    private final Rng rng;
    private final int[] classBlock = new int[CLASSES];
    private int blockPosition = CLASSES;

    public Shapes10(long seed) {
        this.rng = new Rng(seed);
    }

    /** count class-balanced images (any prefix of the stream has class counts within 1 of each other per block). */
    public Images next(int count) {
        requirePositive("count", count);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            if (blockPosition == CLASSES) refillBlock();
            labels[i] = classBlock[blockPosition++];
        }
        return render(labels);
    }

    /** count images of one class. */
    public Images ofClass(int label, int count) {
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
            Images images = ofClass(c, perClass);
            float[][] row = new float[perClass][];
            for (int i = 0; i < perClass; i++) row[i] = images.image(i);
            grid.row(Shape.values()[c].name().toLowerCase().replace('_', ' '), row);
        }
        return grid.build();
    }

    private Images render(int[] labels) {
        float[] pixels = new float[labels.length * SIZE * SIZE];
        for (int i = 0; i < labels.length; i++) System.arraycopy(render(labels[i], rng), 0, pixels, i * SIZE * SIZE, SIZE * SIZE);
        return new Images(pixels, labels);
    }

    /** One image of class {@code label} drawn with {@code rng}: 256 values in [−1, 1], row-major. */
    public static float[] render(int label, Rng rng) {
        requireLabel(label);
        if (rng == null) throw new IllegalArgumentException("Shapes10: rng must not be null");
        Shape shape = Shape.values()[label];
        double cx = 8 + uniform(rng, -2, 2), cy = 8 + uniform(rng, -2, 2);
        double r = uniform(rng, 3, 6), stroke = uniform(rng, 1, 2), intensity = uniform(rng, 0.7, 1.0);
        double angle = Math.toRadians(uniform(rng, -10, 10)), cos = StrictMath.cos(angle), sin = StrictMath.sin(angle);
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int inside = 0;
                for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        double px = x + (sx + 0.5) / SUPERSAMPLE - cx, py = y + (sy + 0.5) / SUPERSAMPLE - cy;
                        // rotate into the shape's frame: (u, v) = R(−θ)·(px, py)
                        double u = cos * px + sin * py, v = -sin * px + cos * py;
                        if (inside(shape, u, v, r, stroke)) inside++;
                    }
                }
                double coverage = inside / (double) (SUPERSAMPLE * SUPERSAMPLE);
                double value = -1 + 2 * intensity * coverage + NOISE_STD * rng.nextGaussian();
                out[y * SIZE + x] = (float) Math.max(-1, Math.min(1, value));
            }
        }
        return out;
    }

    /** Membership of a point (u, v) in the shape frame; r = half-size, s = stroke; v grows downwards. */
    static boolean inside(Shape shape, double u, double v, double r, double s) {
        double au = Math.abs(u), av = Math.abs(v), half = s / 2;
        switch (shape) {
            case DISK: return u * u + v * v <= r * r;
            case RING: { double d = Math.sqrt(u * u + v * v); return d <= r && d >= r - s; }
            case FILLED_SQUARE: return Math.max(au, av) <= r;
            case SQUARE_OUTLINE: { double m = Math.max(au, av); return m <= r && m >= r - s; }
            case TRIANGLE: return v <= r && au <= (v + r) / 2; // apex at v = −r, base at v = +r
            case PLUS: return (au <= half && av <= r) || (av <= half && au <= r);
            case X: {
                double a = Math.abs(u + v) / Math.sqrt(2), b = Math.abs(u - v) / Math.sqrt(2);
                return (a <= half && b <= r) || (b <= half && a <= r);
            }
            case HORIZONTAL_BARS: return au <= r && nearBar(v, r, half);
            case VERTICAL_BARS: return av <= r && nearBar(u, r, half);
            case DIAMOND: return au + av <= r;
            default: throw new IllegalStateException("Shapes10: unknown shape " + shape);
        }
    }

    /** Three bars centred at −r, 0 and r. */
    private static boolean nearBar(double w, double r, double half) {
        return Math.abs(w + r) <= half || Math.abs(w) <= half || Math.abs(w - r) <= half;
    }

    private void refillBlock() {
        for (int c = 0; c < CLASSES; c++) classBlock[c] = c;
        for (int i = CLASSES - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = classBlock[i];
            classBlock[i] = classBlock[j];
            classBlock[j] = t;
        }
        blockPosition = 0;
    }

    private static double uniform(Rng rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    private static void requireLabel(int label) {
        if (label < 0 || label >= CLASSES) throw new IllegalArgumentException("Shapes10: class label must be in [0, " + CLASSES + "), got " + label);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException("Shapes10: " + name + " must be positive, got " + value);
    }
}
