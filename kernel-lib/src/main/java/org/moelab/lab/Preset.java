package org.moelab.lab;

import java.util.Locale;

/**
 * Which experiment size a notebook should pick. Tests and CI export {@code MOELAB_PRESET=quick} so every notebook
 * chooses its few-minute preset; an interactive session defaults to {@code full}. The system property
 * {@code moelab.preset} wins over the environment variable so a single JVM (a test) can set it.
 */
public enum Preset {
    QUICK, FULL;

    public static final String ENV_VAR = "MOELAB_PRESET";
    public static final String PROPERTY = "moelab.preset";

    public static Preset current() {
        String value = System.getProperty(PROPERTY, System.getenv(ENV_VAR));
        if (value == null || value.isBlank()) {
            return FULL;
        }
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public boolean isQuick() {
        return this == QUICK;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
