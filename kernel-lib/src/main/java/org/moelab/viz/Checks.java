package org.moelab.viz;

import java.util.Collection;
import java.util.Set;

/**
 * Argument checks for the chart builders. Messages name the builder, the parameter and (for a series) its name, so a
 * notebook user sees which call to fix without reading XChart's stack trace.
 */
final class Checks {
    private Checks() {}

    static int positive(String owner, String parameter, int value) {
        if (value < 1) throw new IllegalArgumentException(owner + ": " + parameter + " must be >= 1, got " + value);
        return value;
    }

    static <T> T notNull(String owner, String parameter, T value) {
        if (value == null) throw new IllegalArgumentException(owner + ": " + parameter + " must not be null");
        return value;
    }

    static String name(String owner, String parameter, String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException(owner + ": " + parameter + " must be a non-blank name");
        return name;
    }

    static void nonEmpty(String owner, String parameter, int length) {
        if (length == 0) throw new IllegalArgumentException(owner + ": " + parameter + " must not be empty");
    }

    static void sameLength(String owner, String series, String a, int lengthA, String b, int lengthB) {
        if (lengthA != lengthB) {
            throw new IllegalArgumentException(owner + ": " + a + " and " + b + " must have the same length for series '" + series
                    + "' (" + a + " has " + lengthA + ", " + b + " has " + lengthB + ")");
        }
    }

    /** XChart rejects a repeated series name with a generic message; ours says which one. */
    static void unique(String owner, String parameter, String name, Set<String> seen) {
        if (!seen.add(name)) throw new IllegalArgumentException(owner + ": " + parameter + " '" + name + "' is used twice; series names must be unique");
    }

    static void finite(String owner, String parameter, double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException(owner + ": " + parameter + " must be finite, got " + value);
    }

    static void atLeastOne(String owner, String what, Collection<?> items) {
        if (items.isEmpty()) throw new IllegalArgumentException(owner + ": add at least one " + what + " before build()");
    }

    /** Every metric chart says which way is better: the value-axis title must have been set with a {@link Better}. */
    static void yTitle(String owner, String yTitle) {
        if (yTitle == null) {
            throw new IllegalArgumentException(owner + ": set the value axis with yTitle(title, better), better one of "
                    + java.util.Arrays.toString(Better.values()) + ", before build()");
        }
    }
}
