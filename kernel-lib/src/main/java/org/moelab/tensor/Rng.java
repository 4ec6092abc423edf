package org.moelab.tensor;

import java.util.SplittableRandom;

/**
 * The one seeded random source threaded through initialisation, dropout, noise and data. Every random draw in
 * MoE Lab comes from an {@code Rng}, so the same seed gives bit-identical numbers on the same machine.
 * {@link #fork(String)} derives independent, reproducible child streams (one for init, one for data...) so that
 * adding draws to one stream never shifts another.
 */
public final class Rng {
    private static volatile long defaultSeed = 42L;

    private final long seed;
    private SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The lab-wide default seed used when a builder is given none; {@code %moe env} shows it. */
    public static long defaultSeed() {
        return defaultSeed;
    }

    public static void setDefaultSeed(long seed) {
        defaultSeed = seed;
    }

    public long seed() {
        return seed;
    }

    /** A child stream whose draws depend only on this stream's seed and the name. */
    public Rng fork(String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return new Rng(h);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public float nextFloat() {
        return (float) random.nextDouble();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /**
     * Shuffles {@code values} in place (Fisher–Yates from the last element: for i = n−1 … 1 swap i with
     * {@code nextInt(i + 1)}), so the same stream gives the same order everywhere that shuffles.
     */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1), t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** A random permutation of 0 … n−1 ({@link #shuffle} of the identity). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p);
        return p;
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** Standard normal draw (Marsaglia polar method; deterministic given the stream). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = random.nextDouble() * 2 - 1;
            v = random.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * m;
        hasSpare = true;
        return u * m;
    }

    /** A standard Gumbel draw, -log(-log(U)), with U kept away from 0 and 1. */
    public double nextGumbel() {
        double u = Math.min(Math.max(random.nextDouble(), 1e-10), 1 - 1e-10);
        return -StrictMath.log(-StrictMath.log(u));
    }

    /** Snapshot of the stream position, for checkpoints: restoring it continues the exact same sequence. */
    public State state() {
        // Re-anchor this stream on a fresh position so that this stream and any restored copy continue alike.
        long position = random.nextLong();
        random = new SplittableRandom(position);
        return new State(seed, position, hasSpare, spareGaussian);
    }

    /** Opaque stream position. */
    public record State(long seed, long position, boolean hasSpare, double spare) {}

    public static Rng restore(State state) {
        Rng r = new Rng(state.seed());
        r.random = new SplittableRandom(state.position());
        r.hasSpare = state.hasSpare();
        r.spareGaussian = state.spare();
        return r;
    }
}
