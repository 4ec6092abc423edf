package org.moelab.nn;

import org.moelab.tensor.Tensor;

/** Patch tokens [B, N, p·p·C] → image [B, C, H, W]: the exact inverse of {@link Patchify} with the same sizes. */
public final class Unpatchify extends Layer {
    private final int patch, channels, height, width;

    public Unpatchify(int patch, int channels, int height, int width) {
        new Patchify(patch, channels, height, width); // same validation
        this.patch = patch;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @Override
    public Tensor forward(Tensor tokens) {
        int h = height / patch, w = width / patch;
        int[] s = tokens.shape();
        if (s.length != 3 || s[1] != h * w || s[2] != patch * patch * channels) {
            throw new IllegalArgumentException("Unpatchify: expected [B, " + h * w + ", " + patch * patch * channels + "], got " + java.util.Arrays.toString(s));
        }
        int b = s[0];
        // [B, h, w, p, p, C] → [B, C, h, p, w, p] → [B, C, H, W]
        return tokens.reshape(b, h, w, patch, patch, channels).permute(0, 5, 1, 3, 2, 4).reshape(b, channels, height, width);
    }
}
