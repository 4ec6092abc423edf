package org.moelab.viz;

/**
 * Which way a chart's metric improves, said in its value-axis title ("query accuracy (↑ better)") so that a reader
 * never has to guess whether up is good. {@link #NEITHER} is for descriptive quantities (a schedule, a share).
 */
public enum Better {
    HIGHER(" (↑ better)"),
    LOWER(" (↓ better)"),
    NEITHER("");

    private final String suffix;

    Better(String suffix) {
        this.suffix = suffix;
    }

    /** {@code title} with this direction appended. */
    public String label(String title) {
        return title + suffix;
    }
}
