package org.moelab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageGridTest {
    private static float[] filled(int n, float value) {
        float[] image = new float[n];
        java.util.Arrays.fill(image, value);
        return image;
    }

    @Test
    void sizeFollowsScalePaddingAndColumnsWithoutLabels() {
        BufferedImage grid = ImageGrid.builder(16, 16).scale(4).padding(2)
                .images(3, filled(256, 0f), filled(256, 0.5f), filled(256, 1f), filled(256, 1f)).build();
        // 3 columns of 64 px + 4 gaps of 2; 2 rows of 64 + 3 gaps
        assertEquals(3 * 64 + 4 * 2, grid.getWidth());
        assertEquals(2 * 64 + 3 * 2, grid.getHeight());
        assertEquals(0x000000, grid.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0x808080, grid.getRGB(2 + 66 + 63, 2 + 63) & 0xFFFFFF, "0.5 maps to 128, upscaled over the whole cell");
        assertEquals(0xFFFFFF, grid.getRGB(1, 1) & 0xFFFFFF, "padding is background");
    }

    @Test
    void knownPixelWithSignedRangeAndNearestNeighbourUpscale() {
        float[] image = new float[4 * 4];
        image[1 * 4 + 2] = 1f;      // (y=1, x=2) white on a [-1, 1] scale
        image[0] = -1f;             // black
        BufferedImage grid = ImageGrid.builder(4, 4).valueRange(-1, 1).scale(3).padding(0).row(null, image).build();
        assertEquals(12, grid.getWidth());
        assertEquals(12, grid.getHeight());
        for (int dy = 0; dy < 3; dy++) for (int dx = 0; dx < 3; dx++) assertEquals(0xFFFFFF, grid.getRGB(2 * 3 + dx, 1 * 3 + dy) & 0xFFFFFF);
        assertEquals(0x000000, grid.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x808080, grid.getRGB(11, 11) & 0xFFFFFF, "0 on [-1, 1] is mid grey");
    }

    @Test
    void rgbIsChannelFirstAndLabelsWidenTheGrid() {
        float[] red = new float[3 * 2 * 2];
        for (int i = 0; i < 4; i++) red[i] = 1f;
        BufferedImage unlabelled = ImageGrid.builder(2, 2).channels(3).scale(5).row(null, red).build();
        BufferedImage labelled = ImageGrid.builder(2, 2).channels(3).scale(5).row("class 0", red).build();
        assertTrue(labelled.getWidth() > unlabelled.getWidth());
        assertEquals(unlabelled.getHeight(), labelled.getHeight());
        assertEquals(0xFF0000, unlabelled.getRGB(2 + 4, 2 + 4) & 0xFFFFFF);
        int left = labelled.getWidth() - 2 - 10;
        assertEquals(0xFF0000, labelled.getRGB(left, 2) & 0xFFFFFF);
        assertTrue(ChartExport.toPng(labelled).length > 0);
    }

    @Test
    void defaultScaleMakesSmallImagesVisibleAndNaNIsMagenta() {
        BufferedImage grid = ImageGrid.builder(16, 16).padding(0).row(null, filled(256, Float.NaN)).build();
        assertEquals(64, grid.getWidth());
        assertEquals(0xFF00FF, grid.getRGB(10, 10) & 0xFFFFFF);
    }

    @Test
    void wrongSizesAreRejectedWithTheExpectedLength() {
        assertEquals("ImageGrid: images[1] of row 0 has 10 values but 1x4x4 needs 16",
                assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(4, 4).row("a", new float[16], new float[10])).getMessage());
        assertEquals("ImageGrid: channels must be 1 or 3, got 2",
                assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(4, 4).channels(2)).getMessage());
        assertEquals("ImageGrid: add at least one row (row(label, images...)) before build()",
                assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(4, 4).build()).getMessage());
    }
}
