package org.moelab.eval;

import java.util.Arrays;
import org.moelab.data.ClassImageGenerator;
import org.moelab.nn.Conv2d;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The small CNN of the frozen image evaluators, one set of weights per {@link org.moelab.data.ImageDataset} (ProMoE
 * notes §3.5 "Evaluator"): conv 3×3, 8 channels, stride 2, padding 1 (16→8) → GELU → conv 3×3, 16 channels, stride 2,
 * padding 1 (8→4) → GELU → flatten (256) → Linear 64 → GELU (the 64 "features" the Fréchet distance is computed on)
 * → Linear 10.
 *
 * <p>GELU rather than ReLU so that no feature is a dead unit that is always 0: the feature covariance stays full rank.
 */
public final class ShapesClassifier extends Module {
    public static final int FEATURES = 64;
    private static final int SIDE = ClassImageGenerator.SIZE;

    private final Conv2d conv1, conv2;
    private final Linear hidden, head;
    private final int flat;

    public ShapesClassifier(Rng rng) {
        Require.notNull("ShapesClassifier", "rng", rng);
        conv1 = registerModule("conv1", new Conv2d(1, 8, 3, 2, 1, rng));
        conv2 = registerModule("conv2", new Conv2d(8, 16, 3, 2, 1, rng));
        int side = conv2.outputSize(conv1.outputSize(SIDE));
        flat = 16 * side * side;
        hidden = registerModule("hidden", new Linear(flat, FEATURES, rng));
        head = registerModule("head", new Linear(FEATURES, ClassImageGenerator.CLASSES, rng));
    }

    /** The 64 penultimate activations [N, 64] of images [N, 1, 16, 16]. */
    public Tensor features(Tensor images) {
        int[] s = images == null ? null : images.shape();
        if (s == null || s.length != 4 || s[1] != 1 || s[2] != SIDE || s[3] != SIDE) {
            throw new IllegalArgumentException("ShapesClassifier: images must be [N, 1, " + SIDE + ", " + SIDE + "], got " + (s == null ? "null" : Arrays.toString(s)));
        }
        Tensor h = conv2.forward(conv1.forward(images).gelu()).gelu();
        return hidden.forward(h.reshape(s[0], flat)).gelu();
    }

    /** Class scores [N, 10] of images [N, 1, 16, 16]. */
    public Tensor logits(Tensor images) {
        return head.forward(features(images));
    }
}
