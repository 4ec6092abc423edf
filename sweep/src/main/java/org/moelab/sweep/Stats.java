package org.moelab.sweep;

/**
 * The summary statistics of a sweep's table: mean, sample standard deviation and the 95% confidence interval of the
 * mean from Student's t-distribution with n − 1 degrees of freedom (the right interval for the handful of seeds a
 * sweep has; the normal 1.96 would be too narrow). Summation is in the given order, so equal inputs give equal bits.
 */
public final class Stats {
    private Stats() {}

    public static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) sum += x;
        return sum / xs.length;
    }

    /** Sample standard deviation (n − 1); NaN for fewer than two values. */
    public static double sd(double[] xs) {
        if (xs.length < 2) return Double.NaN;
        double m = mean(xs), ss = 0;
        for (double x : xs) ss += (x - m) * (x - m);
        return Math.sqrt(ss / (xs.length - 1));
    }

    /** Half the width of the 95% t-interval of the mean; NaN for fewer than two values. */
    public static double ci95HalfWidth(double[] xs) {
        if (xs.length < 2) return Double.NaN;
        return tQuantile975(xs.length - 1) * sd(xs) / Math.sqrt(xs.length);
    }

    /** The 0.975 quantile of Student's t with {@code df} degrees of freedom (12.706 for 1, 2.776 for 4, → 1.960). */
    public static double tQuantile975(int df) {
        return tQuantile975((double) df);
    }

    /** The same for a fractional {@code df} (Welch–Satterthwaite's, for a difference of two means). */
    public static double tQuantile975(double df) {
        if (!(df >= 1)) throw new IllegalArgumentException("degrees of freedom must be ≥ 1, got " + df);
        double lo = 0, hi = 1000;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (tCdf(mid, df) < 0.975) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /**
     * Welch's 95% interval of {@code mean(a) − mean(b)} (unequal variances, Welch–Satterthwaite degrees of freedom):
     * {@code {difference, low, high}}. Both samples need at least two values; when both have zero spread the
     * interval is the difference itself.
     */
    public static double[] welchDifference95(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) throw new IllegalArgumentException("Welch's interval needs at least two values per sample, got " + a.length + " and " + b.length);
        double diff = mean(a) - mean(b);
        double va = sd(a) * sd(a) / a.length, vb = sd(b) * sd(b) / b.length, se = Math.sqrt(va + vb);
        if (se == 0) return new double[] {diff, diff, diff};
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        double half = tQuantile975(df) * se;
        return new double[] {diff, diff - half, diff + half};
    }

    /** P(T ≤ t) for t ≥ 0: 1 − I_{df/(df+t²)}(df/2, 1/2) / 2. */
    static double tCdf(double t, double df) {
        return 1 - 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** I_x(a, b) by the continued fraction (Lentz), using the symmetry for x beyond the mean. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
        return front * continuedFraction(x, a, b) / a;
    }

    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300, c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m < 300; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 / nonZero(1 + aa * d, tiny);
            c = nonZero(1 + aa / c, tiny);
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 / nonZero(1 + aa * d, tiny);
            c = nonZero(1 + aa / c, tiny);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    private static double nonZero(double v, double tiny) {
        return Math.abs(v) < tiny ? tiny : v;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: ~15 significant digits). */
    static double lnGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) sum += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
