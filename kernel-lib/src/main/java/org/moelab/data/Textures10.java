package org.moelab.data;

import org.moelab.tensor.Rng;

/**
 * "Textures-10": procedural, seeded 16×16 grayscale images in which the class is a <em>texture</em>, not a shape —
 * the second-round data regime of the ProMoE reproduction (papers/promoe.md). On Shapes-10 a 4×4 patch is mostly
 * background or an edge and says almost nothing about the class, so class-blind routing is no evidence against the
 * paper's premise (tokens with distinct semantic roles). Here every class fills a random blob with its own periodic
 * pattern of period 2–4 px, so <b>any foreground 4×4 patch alone identifies the class</b> (whatever its phase), while
 * the background is the same for every class and carries none.
 *
 * <p>Per image: a blob — an ellipse of random area (40–65% of the image before clipping), aspect ratio e^±0.4,
 * rotation and a third-harmonic wobble of its rim (≤ 15%), centred 8 ± 1.5 px — whose clipped coverage must lie in
 * [35%, 70%] (redrawn otherwise); inside it the class texture with a random phase, a bright level in [0.5, 1] and a
 * dark level in [−0.5, −0.1]; outside a flat background of −1. Coverage from 4×4 supersampling blends texture and
 * background at the rim; pixel = blend + N(0, 0.03), clamped to [−1, 1]. A pixel is foreground when the blob covers
 * any of it. Batches are class-balanced ({@link ClassImageGenerator}).
 */
public final class Textures10 extends ClassImageGenerator {
    private static final int SUPERSAMPLE = 4;
    private static final double NOISE_STD = 0.03, BACKGROUND = -1;
    private static final double MIN_COVERAGE = 0.35, MAX_COVERAGE = 0.70;
    private static final int MAX_BLOB_DRAWS = 1000;

    /** The ten classes, in label order; each pattern is 1 (bright) or 0 (dark) at pixel (x, y) shifted by its phase. */
    public enum Texture {
        /** 1-px lines, period 2 in y. */
        HORIZONTAL_LINES,
        /** 1-px lines, period 2 in x. */
        VERTICAL_LINES,
        /** 2-px stripes, period 4 in y. */
        HORIZONTAL_STRIPES,
        /** 2-px stripes, period 4 in x. */
        VERTICAL_STRIPES,
        /** 2-px stripes along x + y, period 4. */
        DIAGONAL_STRIPES,
        /** 2-px stripes along x − y, period 4. */
        ANTI_DIAGONAL_STRIPES,
        /** 1-px checkerboard, period 2. */
        FINE_CHECKERBOARD,
        /** 2-px checkerboard, period 4. */
        COARSE_CHECKERBOARD,
        /** single bright pixels on a period-3 grid. */
        DOTS,
        /** uniformly bright, no pattern. */
        SOLID;

        /** The pattern at (x, y) with phases (phaseX, phaseY) ∈ [0, 12), a common multiple of every period. */
        boolean bright(int x, int y, int phaseX, int phaseY) {
            int u = x + phaseX, v = y + phaseY;
            switch (this) {
                case HORIZONTAL_LINES: return v % 2 == 0;
                case VERTICAL_LINES: return u % 2 == 0;
                case HORIZONTAL_STRIPES: return v % 4 < 2;
                case VERTICAL_STRIPES: return u % 4 < 2;
                case DIAGONAL_STRIPES: return (u + v) % 4 < 2;
                case ANTI_DIAGONAL_STRIPES: return Math.floorMod(u - v, 4) < 2;
                case FINE_CHECKERBOARD: return (u + v) % 2 == 0;
                case COARSE_CHECKERBOARD: return (u / 2 + v / 2) % 2 == 0;
                case DOTS: return u % 3 == 0 && v % 3 == 0;
                case SOLID: return true;
                default: throw new IllegalStateException("Textures10: unknown texture " + this);
            }
        }
    }

    public Textures10(long seed) {
        super(seed);
    }

    @Override
    protected Enum<?>[] classes() {
        return Texture.values();
    }

    @Override
    protected void draw(int label, Rng rng, float[] pixels, boolean[] foreground, int offset) {
        Texture texture = Texture.values()[label];
        double[] coverage = blobCoverage(rng);
        int phaseX = rng.nextInt(12), phaseY = rng.nextInt(12);
        double bright = uniform(rng, 0.5, 1.0), dark = uniform(rng, -0.5, -0.1);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double c = coverage[y * SIZE + x];
                double inside = texture.bright(x, y, phaseX, phaseY) ? bright : dark;
                pixels[offset + y * SIZE + x] = noisyPixel(BACKGROUND + c * (inside - BACKGROUND), NOISE_STD, rng);
                foreground[offset + y * SIZE + x] = c > 0;
            }
        }
    }

    /** Per-pixel coverage of a random blob whose total coverage lies in [35%, 70%] of the image. */
    private static double[] blobCoverage(Rng rng) {
        for (int attempt = 0; attempt < MAX_BLOB_DRAWS; attempt++) {
            double[] coverage = drawBlob(rng);
            double total = 0;
            for (double c : coverage) total += c;
            total /= PIXELS;
            if (total >= MIN_COVERAGE && total <= MAX_COVERAGE) return coverage;
        }
        throw new IllegalStateException("Textures10: no blob with coverage in [" + MIN_COVERAGE + ", " + MAX_COVERAGE + "] in " + MAX_BLOB_DRAWS + " draws");
    }

    private static double[] drawBlob(Rng rng) {
        double cx = 8 + uniform(rng, -1.5, 1.5), cy = 8 + uniform(rng, -1.5, 1.5);
        double area = uniform(rng, 0.40, 0.65) * PIXELS, aspect = StrictMath.exp(uniform(rng, -0.4, 0.4));
        double a = Math.sqrt(area / Math.PI * aspect), b = Math.sqrt(area / Math.PI / aspect);
        double angle = uniform(rng, 0, Math.PI), cos = StrictMath.cos(angle), sin = StrictMath.sin(angle);
        double wobble = uniform(rng, 0, 0.15), wobblePhase = uniform(rng, 0, 2 * Math.PI);
        double[] coverage = new double[PIXELS];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int inside = 0;
                for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        double px = x + (sx + 0.5) / SUPERSAMPLE - cx, py = y + (sy + 0.5) / SUPERSAMPLE - cy;
                        double u = (cos * px + sin * py) / a, v = (-sin * px + cos * py) / b;
                        double rim = 1 + wobble * StrictMath.cos(3 * StrictMath.atan2(v, u) + wobblePhase);
                        if (u * u + v * v <= rim * rim) inside++;
                    }
                }
                coverage[y * SIZE + x] = inside / (double) (SUPERSAMPLE * SUPERSAMPLE);
            }
        }
        return coverage;
    }
}
