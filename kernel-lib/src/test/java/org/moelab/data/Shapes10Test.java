package org.moelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Shapes-10: determinism, balance, range, distinct classes, errors, grid. */
class Shapes10Test {
    @Test
    void sameSeedSameImages() {
        LabelledImages a = new Shapes10(7).next(25), b = new Shapes10(7).next(25);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertTrue(!java.util.Arrays.equals(a.pixels(), new Shapes10(8).next(25).pixels()));
    }

    /**
     * The images are bit for bit those of Shapes10 before it became a {@link ClassImageGenerator} (digest computed
     * with that version): the ProMoE presets' numbers depend on it.
     */
    @Test
    void imagesAreUnchangedByTheGeneratorRefactoring() throws Exception {
        Shapes10 shapes = new Shapes10(7);
        LabelledImages mixed = shapes.next(50), threes = shapes.ofClass(3, 10);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * (mixed.pixels().length + threes.pixels().length + mixed.count() + threes.count()));
        for (float v : mixed.pixels()) bytes.putInt(Float.floatToRawIntBits(v));
        for (float v : threes.pixels()) bytes.putInt(Float.floatToRawIntBits(v));
        for (int v : mixed.labels()) bytes.putInt(v);
        for (int v : threes.labels()) bytes.putInt(v);
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        assertEquals("cabe6d6bc15e84eb7d007e031abb8900c3d4516a8ba78859b541186a598cb6c4", digest);
    }

    @Test
    void foregroundMarksThePixelsTheShapeTouches() {
        LabelledImages images = new Shapes10(5).next(100);
        int foreground = 0;
        for (int i = 0; i < images.pixels().length; i++) {
            float v = images.pixels()[i];
            if (images.foreground()[i]) foreground++;
            else assertTrue(v < -0.8f, "a background pixel is −1 + noise, got " + v);
            if (v > -0.8f) assertTrue(images.foreground()[i], "a bright pixel is foreground");
        }
        assertTrue(foreground > 0.05 * images.pixels().length && foreground < 0.6 * images.pixels().length, "foreground pixels " + foreground);
        boolean[] tokens = images.foregroundPatches(4);
        assertEquals(100 * 16, tokens.length);
    }

    @Test
    void classesAreBalancedAndValuesInRange() {
        LabelledImages images = new Shapes10(1).next(200);
        int[] counts = new int[Shapes10.CLASSES];
        for (int y : images.labels()) counts[y]++;
        for (int c : counts) assertEquals(20, c);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : images.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -1f && max <= 1f && max > 0.3f, min + " " + max);
        assertArrayEquals(new int[] {200, 1, 16, 16}, images.tensor().shape());
    }

    @Test
    void everyClassHasADistinctMeanImage() {
        Shapes10 data = new Shapes10(2);
        double[][] means = new double[Shapes10.CLASSES][];
        for (int c = 0; c < Shapes10.CLASSES; c++) {
            LabelledImages images = data.ofClass(c, 100);
            means[c] = new double[256];
            for (int i = 0; i < images.pixels().length; i++) means[c][i % 256] += images.pixels()[i] / 100.0;
        }
        for (int a = 0; a < Shapes10.CLASSES; a++) {
            for (int b = a + 1; b < Shapes10.CLASSES; b++) {
                double d = 0;
                for (int i = 0; i < 256; i++) d += Math.abs(means[a][i] - means[b][i]) / 256;
                assertTrue(d > 0.03, Shapes10.Shape.values()[a] + " vs " + Shapes10.Shape.values()[b] + ": mean |Δ| = " + d);
            }
        }
    }

    @Test
    void badParametersAreReported() {
        Shapes10 data = new Shapes10(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.next(0));
        assertTrue(e.getMessage().contains("count must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> data.ofClass(10, 3));
        assertTrue(e.getMessage().contains("class label must be in [0, 10), got 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> data.classGrid(-1));
        assertTrue(e.getMessage().contains("perClass must be positive"), e.getMessage());
    }

    @Test
    void classGridRenders() {
        BufferedImage grid = new Shapes10(3).classGrid(4);
        assertTrue(grid.getWidth() > 4 * 16 && grid.getHeight() > 10 * 16, grid.getWidth() + "x" + grid.getHeight());
    }
}
