package org.moelab.kernel.execution;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Cuts a cell into the snippets JShell can evaluate one at a time. {@code JShell.eval} takes one snippet and
 * silently ignores whatever follows it, so without this a cell {@code int a = 1; int b = 2;} would define only
 * {@code a}.
 */
public final class CellSplitter {
    private final SourceCodeAnalysis analysis;

    public CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    public List<CellSnippet> split(String cell) {
        List<CellSnippet> snippets = new ArrayList<>();
        String remaining = cell;
        while (!remaining.isBlank()) {
            int consumed = cell.length() - remaining.length();
            int start = consumed + leadingWhitespace(remaining);
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (!completeness.isComplete()) {
                throw new IncompleteSourceException(lineOf(cell, start), remaining.strip());
            }
            // JShell may or may not keep the snippet's leading blank lines in its source; count from the first
            // character so diagnostics (positions in the source) map to the right cell line either way.
            String source = info.source();
            int firstLine = lineOf(cell, start) - newlines(source.substring(0, leadingWhitespace(source)));
            snippets.add(new CellSnippet(source, firstLine));
            remaining = info.remaining();
        }
        return snippets;
    }

    private static int leadingWhitespace(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int newlines(String text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
