package org.moelab.nn;

import org.moelab.tensor.Tensor;

/**
 * Image [B, C, H, W] → patch tokens [B, N, p·p·C], N = (H/p)·(W/p), tokens in row-major patch order and each token's
 * features ordered (row in patch, column in patch, channel) as in DiT's {@code unpatchify}. No parameters;
 * {@link Unpatchify} is its exact inverse.
 */
public final class Patchify extends Layer {
    private final int patch, channels, height, width;

    public Patchify(int patch, int channels, int height, int width) {
        this.patch = Require.positive("Patchify", "patch", patch);
        this.channels = Require.positive("Patchify", "channels", channels);
        this.height = Require.positive("Patchify", "height", height);
        this.width = Require.positive("Patchify", "width", width);
        if (height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException("Patchify: height " + height + " and width " + width + " must be multiples of patch " + patch);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != channels || s[2] != height || s[3] != width) {
            throw new IllegalArgumentException("Patchify: expected [B, " + channels + ", " + height + ", " + width + "], got " + java.util.Arrays.toString(s));
        }
        int b = s[0], h = height / patch, w = width / patch;
        // [B, C, h, p, w, p] → [B, h, w, p, p, C] → [B, h·w, p·p·C]
        return x.reshape(b, channels, h, patch, w, patch).permute(0, 2, 4, 3, 5, 1).reshape(b, h * w, patch * patch * channels);
    }

    public int tokens() {
        return (height / patch) * (width / patch);
    }

    public int tokenDim() {
        return patch * patch * channels;
    }
}
