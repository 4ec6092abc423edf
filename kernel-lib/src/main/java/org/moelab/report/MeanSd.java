package org.moelab.report;

import java.util.Objects;

/**
 * A mean with its sample standard deviation (Bessel-corrected, n − 1) over n values, e.g. one arm's BPC over seeds.
 * It is a {@link Number} whose value is the mean, so a {@link ResultsTable} of aggregates still sorts, highlights and
 * yields {@code column(name)} as plain numbers, while it prints as {@code "2.314 ± 0.021"}. With n = 1 the spread is
 * unknown: sd is NaN and only the mean is printed.
 */
public final class MeanSd extends Number {
    private static final long serialVersionUID = 1L;
    private final double mean;
    private final double sd;
    private final int n;

    public MeanSd(double mean, double sd, int n) {
        if (n < 1) throw new IllegalArgumentException("MeanSd: n must be >= 1, got " + n);
        this.mean = mean;
        this.sd = sd;
        this.n = n;
    }

    /** Mean and sample sd of the values; NaN values count (a diverged seed should show, not vanish). */
    public static MeanSd of(double... values) {
        if (values == null || values.length == 0) throw new IllegalArgumentException("MeanSd: values must not be empty");
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / values.length;
        if (values.length == 1) return new MeanSd(mean, Double.NaN, 1);
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        return new MeanSd(mean, Math.sqrt(squares / (values.length - 1)), values.length);
    }

    public double mean() {
        return mean;
    }

    public double sd() {
        return sd;
    }

    public int n() {
        return n;
    }

    @Override
    public double doubleValue() {
        return mean;
    }

    @Override
    public float floatValue() {
        return (float) mean;
    }

    @Override
    public long longValue() {
        return (long) mean;
    }

    @Override
    public int intValue() {
        return (int) mean;
    }

    /** "mean ± sd", the sd at the mean's precision (4 significant digits of the mean). */
    @Override
    public String toString() {
        return CellFormat.meanSd(mean, sd);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeanSd other && Double.compare(mean, other.mean) == 0 && Double.compare(sd, other.sd) == 0 && n == other.n;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mean, sd, n);
    }
}
