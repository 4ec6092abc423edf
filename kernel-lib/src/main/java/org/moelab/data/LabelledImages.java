package org.moelab.data;

import java.util.Arrays;
import org.moelab.tensor.Tensor;

/**
 * A batch of labelled 16×16 grayscale images from a {@link ClassImageGenerator} (Shapes-10, Textures-10), with the
 * generator's own knowledge of which pixels belong to the foreground (the shape or the textured region): the
 * per-token routing diagnostics of the ProMoE study split tokens into foreground and background with
 * {@link #foregroundPatches}, and that split must not depend on pixel values the generator added noise to.
 *
 * @param pixels     [count, 1, 16, 16] flattened row-major, values in [−1, 1]
 * @param labels     one class label per image
 * @param foreground [count, 16, 16] row-major: whether the pixel is not pure background (the foreground covers
 *                   some of its area)
 */
public record LabelledImages(float[] pixels, int[] labels, boolean[] foreground) {
    public static final int SIZE = ClassImageGenerator.SIZE;
    public static final int PIXELS = SIZE * SIZE;

    public LabelledImages {
        if (pixels == null || labels == null || foreground == null) throw new IllegalArgumentException("LabelledImages: pixels, labels and foreground must not be null");
        if (pixels.length != (long) labels.length * PIXELS || foreground.length != pixels.length) {
            throw new IllegalArgumentException("LabelledImages: " + labels.length + " labels need " + (long) labels.length * PIXELS
                    + " pixels and foreground flags, got " + pixels.length + " and " + foreground.length);
        }
    }

    public int count() {
        return labels.length;
    }

    /** One image's 256 pixels. */
    public float[] image(int i) {
        return Arrays.copyOfRange(pixels, i * PIXELS, (i + 1) * PIXELS);
    }

    /** The images as a tensor [count, 1, 16, 16]. */
    public Tensor tensor() {
        return Tensor.of(pixels.clone(), count(), 1, SIZE, SIZE);
    }

    /**
     * Which patch tokens are foreground, [count, (16/patch)²] with tokens in row-major patch order (as
     * {@link org.moelab.nn.Patchify} orders them): a patch is foreground when more than half of its pixels are.
     */
    public boolean[] foregroundPatches(int patch) {
        if (patch < 1 || SIZE % patch != 0) throw new IllegalArgumentException("LabelledImages: patch must divide " + SIZE + ", got " + patch);
        int grid = SIZE / patch, tokens = grid * grid;
        boolean[] out = new boolean[count() * tokens];
        for (int i = 0; i < count(); i++) {
            for (int py = 0; py < grid; py++) {
                for (int px = 0; px < grid; px++) {
                    int inside = 0;
                    for (int y = py * patch; y < (py + 1) * patch; y++) {
                        for (int x = px * patch; x < (px + 1) * patch; x++) if (foreground[i * PIXELS + y * SIZE + x]) inside++;
                    }
                    out[i * tokens + py * grid + px] = 2 * inside > patch * patch;
                }
            }
        }
        return out;
    }
}
