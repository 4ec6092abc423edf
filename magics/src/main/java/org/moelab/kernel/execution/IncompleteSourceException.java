package org.moelab.kernel.execution;

/** The cell ends in the middle of a statement (an open brace, a missing parenthesis...). */
public final class IncompleteSourceException extends RuntimeException {
    private final int line;

    public IncompleteSourceException(int line, String source) {
        super("The cell ends before the code starting at line " + line + " is complete:\n" + source);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
