package org.moelab.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How a table cell reads: integers exactly, other numbers to 4 significant digits (plain between 1e-3 and 1e6,
 * scientific outside), booleans as true/false, missing values empty. One place so HTML, Markdown, text and a
 * {@link MeanSd} agree. {@link #exact} is the CSV form: full precision, since a CSV is read back by programs.
 */
final class CellFormat {
    static final int SIGNIFICANT = 4;

    private CellFormat() {}

    static String display(Object value) {
        if (value == null) return "";
        if (value instanceof MeanSd meanSd) return meanSd.toString();
        if (value instanceof Double || value instanceof Float) return number(((Number) value).doubleValue());
        if (value instanceof Number number && !(value instanceof BigDecimal)) return number.toString();
        if (value instanceof BigDecimal decimal) return number(decimal.doubleValue());
        return value.toString();
    }

    static String exact(Object value) {
        if (value == null) return "";
        return value.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        int decimals = plainDecimals(v);
        if (decimals < 0) return String.format(Locale.ROOT, "%." + (SIGNIFICANT - 1) + "e", v);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String meanSd(double mean, double sd) {
        String m = number(mean);
        if (Double.isNaN(sd)) return m;
        if (!Double.isFinite(mean) || mean == 0) return m + " ± " + number(sd);
        int decimals = plainDecimals(mean);
        String s = decimals < 0 ? String.format(Locale.ROOT, "%." + (SIGNIFICANT - 1) + "e", sd)
                : String.format(Locale.ROOT, "%." + decimals + "f", sd);
        return m + " ± " + s;
    }

    /** Decimal places that show 4 significant digits of v in plain notation; -1 where scientific reads better. */
    private static int plainDecimals(double v) {
        // Round first: 9.99996 must count as 10.00 (4 digits), not 9.99996 with 3 decimals printed as "10.000".
        double rounded = new BigDecimal(v).round(new MathContext(SIGNIFICANT)).doubleValue();
        double magnitude = Math.abs(rounded);
        if (magnitude < 1e-3 || magnitude >= 1e6) return -1;
        int exponent = (int) Math.floor(Math.log10(magnitude));
        return Math.max(0, SIGNIFICANT - 1 - exponent);
    }
}
