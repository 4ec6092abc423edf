package org.moelab.kernel.execution;

/**
 * What a cell evaluated to: the live value of its last snippet when that snippet is an expression
 * ({@code chart}, {@code 1 + 1}), or nothing when it is a statement or declaration.
 */
public final class CellResult {
    private static final CellResult NO_VALUE = new CellResult(false, null);

    private final boolean hasValue;
    private final Object value;

    private CellResult(boolean hasValue, Object value) {
        this.hasValue = hasValue;
        this.value = value;
    }

    public static CellResult noValue() {
        return NO_VALUE;
    }

    public static CellResult of(Object value) {
        return new CellResult(true, value);
    }

    public boolean hasValue() {
        return hasValue;
    }

    /** The value; may be {@code null} when the expression evaluated to null. */
    public Object value() {
        return value;
    }
}
