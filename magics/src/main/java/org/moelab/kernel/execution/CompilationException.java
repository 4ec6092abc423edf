package org.moelab.kernel.execution;

import java.util.List;
import java.util.stream.Collectors;

/** A snippet did not compile. Carries each error with the cell line it points at. */
public final class CompilationException extends RuntimeException {

    /**
     * One compiler error.
     *
     * @param line       1-based cell line
     * @param sourceLine the text of that line
     * @param column     0-based column of the error on that line, or -1 when unknown
     * @param length     number of characters to underline (at least 1)
     * @param message    the compiler's message
     */
    public record Problem(int line, String sourceLine, int column, int length, String message) {
    }

    private final List<Problem> problems;

    public CompilationException(List<Problem> problems) {
        super(problems.stream()
                .map(p -> "line " + p.line() + ": " + p.message())
                .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
