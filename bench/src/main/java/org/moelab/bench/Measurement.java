package org.moelab.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * One benchmark result: per-call wall times of several samples, summarised by the median and the quartiles.
 * Both sides (this harness and bench/pytorch/harness.py) write the same tab-separated line, so the report
 * can join them on (name, size).
 *
 * @param name  what was run, e.g. {@code softmax fwd+bwd}
 * @param size  the shape, e.g. {@code 2048x64}
 * @param flops floating-point operations per call (0 when not meaningful); GFLOP/s is reported for GEMMs
 */
record Measurement(String name, String size, double flops, double medianMs, double p25Ms, double p75Ms,
                   double minMs, int samples, int callsPerSample) {

    static final String HEADER = "name\tsize\tmedian_ms\tp25_ms\tp75_ms\tmin_ms\tsamples\tcalls_per_sample\tflops";

    /** Summarises per-call times (ms), one per sample. */
    static Measurement of(String name, String size, double flops, double[] perCallMs, int callsPerSample) {
        double[] s = perCallMs.clone();
        Arrays.sort(s);
        return new Measurement(name, size, flops, quantile(s, 0.5), quantile(s, 0.25), quantile(s, 0.75), s[0],
                s.length, callsPerSample);
    }

    /** Linear interpolation between order statistics (numpy's default, which the Python side uses too). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Interquartile range relative to the median, in percent: the spread the report shows. */
    double spreadPercent() {
        return medianMs == 0 ? 0 : 100 * (p75Ms - p25Ms) / medianMs;
    }

    double gflops() {
        return flops <= 0 ? 0 : flops / (medianMs * 1e6);
    }

    String toTsv() {
        return String.join("\t", name, size, num(medianMs), num(p25Ms), num(p75Ms), num(minMs),
                Integer.toString(samples), Integer.toString(callsPerSample), String.format(Locale.ROOT, "%.0f", flops));
    }

    static Measurement parseTsv(String line) {
        String[] f = line.split("\t");
        if (f.length != 9) throw new IllegalArgumentException("bad result line (want 9 tab-separated fields): " + line);
        return new Measurement(f[0], f[1], Double.parseDouble(f[8]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
