package org.moelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Textures-10: determinism, balance, range, blob coverage, foreground masks, errors, grid. */
class Textures10Test {
    @Test
    void sameSeedSameBits() {
        LabelledImages a = new Textures10(7).next(40), b = new Textures10(7).next(40);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.foreground(), b.foreground());
        assertTrue(!Arrays.equals(a.pixels(), new Textures10(8).next(40).pixels()));
        assertArrayEquals(a.pixels(), ImageDataset.TEXTURES10.generator(7).next(40).pixels(), "the data-set enum makes the same generator");
    }

    @Test
    void classesAreBalancedInEveryBlockAndValuesInRange() {
        LabelledImages images = new Textures10(1).next(200);
        int[] counts = new int[Textures10.CLASSES];
        for (int i = 0; i < images.count(); i++) {
            counts[images.labels()[i]]++;
            if (i % 10 == 9) for (int c : counts) assertEquals((i + 1) / 10, c, "after " + (i + 1) + " images");
        }
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : images.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -1f && max <= 1f && max > 0.5f, min + " " + max);
        assertArrayEquals(new int[] {200, 1, 16, 16}, images.tensor().shape());
    }

    @Test
    void theTexturedBlobCoversASizeableShareAndTheBackgroundIsFlat() {
        LabelledImages images = new Textures10(3).next(300);
        for (int i = 0; i < images.count(); i++) {
            int foreground = 0;
            double backgroundSum = 0;
            for (int p = 0; p < LabelledImages.PIXELS; p++) {
                int k = i * LabelledImages.PIXELS + p;
                if (images.foreground()[k]) foreground++;
                else backgroundSum += images.pixels()[k];
            }
            double share = foreground / (double) LabelledImages.PIXELS;
            // coverage ∈ [0.35, 0.70]; the mask also counts rim pixels the blob only partly covers
            assertTrue(share >= 0.35 && share <= 0.85, "image " + i + ": foreground share " + share);
            assertTrue(backgroundSum / (LabelledImages.PIXELS - foreground) < -0.97, "image " + i + ": background is −1 + noise");
            int foregroundTokens = 0;
            for (boolean t : Arrays.copyOfRange(images.foregroundPatches(4), i * 16, (i + 1) * 16)) if (t) foregroundTokens++;
            assertTrue(foregroundTokens >= 3 && foregroundTokens <= 14, "image " + i + ": " + foregroundTokens + " foreground tokens of 16");
        }
    }

    @Test
    void foregroundPatchesFollowTheMajorityOfTheirPixels() {
        boolean[] foreground = new boolean[LabelledImages.PIXELS];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 3; x++) foreground[y * 16 + x] = true; // 12 of patch (0, 0)'s 16 pixels
        for (int x = 4; x < 12; x++) foreground[x] = true; // 4 of 16 in patches (0, 1) and (0, 2)
        for (int y = 12; y < 16; y++) for (int x = 12; x < 14; x++) foreground[y * 16 + x] = true; // exactly half of patch (3, 3)
        boolean[] tokens = new LabelledImages(new float[LabelledImages.PIXELS], new int[] {0}, foreground).foregroundPatches(4);
        boolean[] expected = new boolean[16];
        expected[0] = true;
        assertArrayEquals(expected, tokens);
    }

    @Test
    void badParametersAreReported() {
        Textures10 data = new Textures10(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.next(0));
        assertTrue(e.getMessage().contains("Textures10: count must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> data.ofClass(-1, 3));
        assertTrue(e.getMessage().contains("class label must be in [0, 10), got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> data.next(5).foregroundPatches(3));
        assertTrue(e.getMessage().contains("patch must divide 16, got 3"), e.getMessage());
    }

    @Test
    void classGridRendersWithTheTextureNames() {
        BufferedImage grid = new Textures10(3).classGrid(4);
        assertTrue(grid.getWidth() > 4 * 16 && grid.getHeight() > 10 * 16, grid.getWidth() + "x" + grid.getHeight());
        assertEquals("horizontal lines", new Textures10(0).className(0));
        assertEquals(10, ImageDataset.TEXTURES10.classNames().size());
        assertEquals(10, ImageDataset.TEXTURES10.shortClassNames().size());
        assertEquals(10, ImageDataset.SHAPES10.shortClassNames().size());
    }
}
