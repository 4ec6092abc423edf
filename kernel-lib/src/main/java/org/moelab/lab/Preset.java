package org.moelab.lab;

import java.util.Locale;

/**
 * Which experiment size a notebook should pick: {@code quick} (a few minutes on two cores; tests, CI, Binder and
 * interactive sessions by default, so "run all" never surprises a user with an hour of training) or {@code full}
 * (several seeds, what the paper pages report; {@code MOELAB_PRESET=full}, {@code ./moelab reproduce --full} or
 * {@code %moe reproduce <paper> --full}). The system property
 * {@code moelab.preset} wins over the environment variable so a single JVM (a test) can set it.
 */
public enum Preset {
    QUICK, FULL;

    public static final String ENV_VAR = "MOELAB_PRESET";
    public static final String PROPERTY = "moelab.preset";

    public static Preset current() {
        String value = System.getProperty(PROPERTY, System.getenv(ENV_VAR));
        if (value == null || value.isBlank()) {
            return QUICK;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV_VAR + " (or -D" + PROPERTY + ") must be 'quick' or 'full', got '" + value + "'", e);
        }
    }

    public boolean isQuick() {
        return this == QUICK;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
