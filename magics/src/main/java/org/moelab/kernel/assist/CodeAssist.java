package org.moelab.kernel.assist;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/**
 * Answers Jupyter's complete, inspect and is-complete requests from JShell's source analysis, which already knows
 * the session's variables, methods and imports.
 */
public final class CodeAssist {
    /** basekernel's answers for is_complete_request. */
    public static final String COMPLETE = "complete";
    public static final String INVALID = "invalid";
    public static final String UNKNOWN = "unknown";

    private static final String INDENT = "    ";

    private final SourceCodeAnalysis analysis;

    public CodeAssist(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** Tab completion: names that fit the cursor, those matching the expected type first. */
    public ReplacementOptions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(code, cursor, anchor);
        Set<String> replacements = suggestions.stream()
                .sorted(Comparator.comparing((Suggestion s) -> !s.matchesType())
                        .thenComparing(Suggestion::continuation))
                .map(Suggestion::continuation)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new ReplacementOptions(List.copyOf(replacements), anchor[0], cursor);
    }

    /** Shift-Tab: the signature (and with detail, the javadoc) of what is under the cursor; null if nothing. */
    public DisplayData inspect(String code, int cursor, boolean withJavadoc) {
        int end = endOfIdentifier(code, cursor);
        // JShell documents a method from inside its call ("Math.max(") and anything else from its name.
        boolean call = end < code.length() && code.charAt(end) == '(';
        int at = call ? end + 1 : end;
        List<Documentation> docs = analysis.documentation(code.substring(0, at), at, withJavadoc);
        if (docs.isEmpty() && call) {
            docs = analysis.documentation(code.substring(0, end), end, withJavadoc);
        }
        if (docs.isEmpty()) {
            return null;
        }
        String text = docs.stream()
                .map(doc -> doc.signature() + (withJavadoc && doc.javadoc() != null ? "\n\n" + doc.javadoc() : ""))
                .collect(Collectors.joining("\n\n"));
        return new DisplayData(text);
    }

    /**
     * Whether a console may run the code as is: "complete", "invalid", or the indentation to continue with when a
     * statement is still open (e.g. after {@code for (int i = 0; i < 3; i++) {}).
     */
    public String isComplete(String code) {
        if (code.stripLeading().startsWith("%")) {
            return COMPLETE; // magics are one line (or, for %%, the whole cell)
        }
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.DEFINITELY_INCOMPLETE
                    || completeness == Completeness.CONSIDERED_INCOMPLETE) {
                return INDENT.repeat(Math.max(1, openBraces(remaining)));
            }
            if (completeness == Completeness.UNKNOWN) {
                return INVALID;
            }
            if (completeness == Completeness.EMPTY) {
                break;
            }
            remaining = info.remaining();
        }
        return COMPLETE;
    }

    private static int openBraces(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return depth;
    }

    private static int endOfIdentifier(String code, int cursor) {
        int end = Math.min(cursor, code.length());
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        return end;
    }
}
