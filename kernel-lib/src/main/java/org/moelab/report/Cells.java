package org.moelab.report;

/** Cell kinds, equality and ordering shared by {@link ResultsTable}'s operations. */
final class Cells {
    private Cells() {}

    /** String, Number or Boolean for an allowed value; null for anything else. */
    static Class<?> kind(Object value) {
        if (value instanceof String) return String.class;
        if (value instanceof Number) return Number.class;
        if (value instanceof Boolean) return Boolean.class;
        return null;
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        return a == null ? b == null : a.equals(b);
    }

    /** Missing and NaN sort last in either direction, so "best first" never starts with a hole. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b, boolean descending) {
        boolean aMissing = a == null || (a instanceof Number n && Double.isNaN(n.doubleValue()));
        boolean bMissing = b == null || (b instanceof Number n && Double.isNaN(n.doubleValue()));
        if (aMissing || bMissing) return Boolean.compare(aMissing, bMissing);
        int order = a instanceof Number x && b instanceof Number y ? Double.compare(x.doubleValue(), y.doubleValue())
                : ((Comparable) a).compareTo(b);
        return descending ? -order : order;
    }
}
