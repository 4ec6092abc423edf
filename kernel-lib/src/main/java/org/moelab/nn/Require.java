package org.moelab.nn;

import java.util.Arrays;
import org.moelab.tensor.Tensor;

/**
 * Argument checks whose messages name the owner (module or optimizer), the argument and the allowed values, so a
 * notebook user sees what to change without reading a stack trace.
 */
public final class Require {
    private Require() {}

    public static int positive(String owner, String name, int value) {
        if (value < 1) throw new IllegalArgumentException(owner + ": " + name + " must be >= 1, got " + value);
        return value;
    }

    /** A builder value that has no default: -1 means the user never set it. */
    public static int required(String owner, String name, int value) {
        if (value == -1) throw new IllegalArgumentException(owner + ": " + name + " is required; call " + name + "(...) with a value >= 1");
        return positive(owner, name, value);
    }

    public static float positive(String owner, String name, float value) {
        if (!(value > 0) || !Float.isFinite(value)) throw new IllegalArgumentException(owner + ": " + name + " must be a finite value > 0, got " + value);
        return value;
    }

    public static float nonNegative(String owner, String name, float value) {
        if (!(value >= 0) || !Float.isFinite(value)) throw new IllegalArgumentException(owner + ": " + name + " must be a finite value >= 0, got " + value);
        return value;
    }

    /** A value in [low, high). */
    public static float inRange(String owner, String name, float value, float low, float high) {
        if (!(value >= low && value < high)) throw new IllegalArgumentException(owner + ": " + name + " must be in [" + low + ", " + high + "), got " + value);
        return value;
    }

    public static <T> T notNull(String owner, String name, T value) {
        if (value == null) throw new IllegalArgumentException(owner + ": " + name + " must not be null");
        return value;
    }

    /**
     * Input of rank {@code rank} (any of, when several) whose last axis is {@code lastDim}. {@code owner} is usually
     * the module itself: its {@code toString()} is only built when the check fails, keeping the hot path free of
     * string concatenation.
     */
    public static void input(Object owner, Tensor x, int lastDim, int... ranks) {
        if (x == null) throw new IllegalArgumentException(owner + ": input must not be null");
        boolean rankOk = ranks.length == 0;
        for (int r : ranks) rankOk |= x.rank() == r;
        if (!rankOk) {
            throw new IllegalArgumentException(owner + ": input must have rank " + Arrays.toString(ranks) + " but has shape " + Arrays.toString(x.shape()));
        }
        if (x.rank() == 0 || x.size(-1) != lastDim) {
            throw new IllegalArgumentException(owner + ": input's last dimension must be " + lastDim + " but the input has shape " + Arrays.toString(x.shape()));
        }
    }
}
