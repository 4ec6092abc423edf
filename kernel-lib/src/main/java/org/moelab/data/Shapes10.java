package org.moelab.data;

import org.moelab.tensor.Rng;

/**
 * "Shapes-10": procedural, seeded 16×16 grayscale images of ten shape classes (ProMoE's CPU-scale data set, notes
 * §3.5). Per image: centre 7.5 ± 2 px, half-size 3–6 px, stroke 1–2 px, rotation ±10°, intensity 0.7–1.0, coverage
 * from 4×4 supersampling, pixel = −1 + 2·intensity·coverage + N(0, 0.03), clamped to [−1, 1] (background −1).
 * Batches are class-balanced ({@link ClassImageGenerator}). A pixel is foreground when the shape covers any of it
 * (coverage > 0), i.e. when it is not pure background.
 */
public final class Shapes10 extends ClassImageGenerator {
    private static final int SUPERSAMPLE = 4;
    private static final double NOISE_STD = 0.03;

    /** The ten classes, in label order. */
    public enum Shape { DISK, RING, FILLED_SQUARE, SQUARE_OUTLINE, TRIANGLE, PLUS, X, HORIZONTAL_BARS, VERTICAL_BARS, DIAMOND }

    public Shapes10(long seed) {
        super(seed);
    }

    @Override
    protected Enum<?>[] classes() {
        return Shape.values();
    }

    @Override
    protected void draw(int label, Rng rng, float[] pixels, boolean[] foreground, int offset) {
        Shape shape = Shape.values()[label];
        double cx = 8 + uniform(rng, -2, 2), cy = 8 + uniform(rng, -2, 2);
        double r = uniform(rng, 3, 6), stroke = uniform(rng, 1, 2), intensity = uniform(rng, 0.7, 1.0);
        double angle = Math.toRadians(uniform(rng, -10, 10)), cos = StrictMath.cos(angle), sin = StrictMath.sin(angle);
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
                pixels[offset + y * SIZE + x] = noisyPixel(-1 + 2 * intensity * coverage, NOISE_STD, rng);
                foreground[offset + y * SIZE + x] = inside > 0;
            }
        }
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
}
