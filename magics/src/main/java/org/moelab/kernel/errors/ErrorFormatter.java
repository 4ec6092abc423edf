package org.moelab.kernel.errors;

import io.github.spencerpark.jupyter.kernel.util.StringStyler;
import java.util.ArrayList;
import java.util.List;
import org.moelab.kernel.execution.CellInterruptedException;
import org.moelab.kernel.execution.CellRuntimeException;
import org.moelab.kernel.execution.CompilationException;
import org.moelab.lab.InterruptRequestedException;

/**
 * Turns a failed cell into the traceback lines Jupyter shows: compiler errors with the offending cell line and a
 * caret under the culprit; runtime errors with the user's frames only; interrupts as one calm sentence.
 */
public final class ErrorFormatter {
    private final StringStyler styler;

    public ErrorFormatter(StringStyler styler) {
        this.styler = styler;
    }

    public List<String> format(Exception error) {
        if (error instanceof CompilationException) {
            return compilation((CompilationException) error);
        }
        if (isInterrupt(error)) {
            return List.of(styler.secondary("Interrupted: the cell was stopped; variables from earlier cells are kept."));
        }
        if (error instanceof CellRuntimeException && error.getCause() != null) {
            return styler.secondaryLines(String.join("\n", StackTraces.format(error.getCause())));
        }
        return styler.secondaryLines(String.join("\n", StackTraces.format(error)));
    }

    private static boolean isInterrupt(Exception error) {
        return error instanceof CellInterruptedException
                || error.getCause() instanceof InterruptRequestedException;
    }

    private List<String> compilation(CompilationException error) {
        List<String> lines = new ArrayList<>();
        for (CompilationException.Problem problem : error.problems()) {
            lines.add(styler.primary("Compilation error at cell line " + problem.line() + ":"));
            lines.add("    " + problem.sourceLine());
            if (problem.column() >= 0) {
                int length = Math.max(1, Math.min(problem.length(), problem.sourceLine().length() - problem.column()));
                lines.add("    " + " ".repeat(problem.column()) + styler.secondary("^".repeat(length)));
            }
            lines.addAll(styler.secondaryLines(problem.message()));
        }
        return lines;
    }
}
