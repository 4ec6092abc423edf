package org.moelab.kernel.assist;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** {@code %%name} on the cell's first line. */
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*(%%[\\w-]*)$");
    /** {@code %name} at the start of a line or after {@code =}, as the magics transformer accepts them. */
    private static final Pattern LINE_MAGIC = Pattern.compile("(?:^|=)\\s*(%[\\w-]*)$");
    /** {@code %name sub}: the first argument of a magic with known subcommands. */
    private static final Pattern SUBCOMMAND = Pattern.compile("(?:^|=)\\s*%([\\w-]+)\\s+([\\w-]*)$");

    private final SourceCodeAnalysis analysis;
    private final MagicCatalog magics;

    public CodeAssist(SourceCodeAnalysis analysis) {
        this(analysis, MagicCatalog.NONE);
    }

    public CodeAssist(SourceCodeAnalysis analysis, MagicCatalog magics) {
        this.analysis = analysis;
        this.magics = magics;
    }

    /**
     * Tab completion: magic names after {@code %}/{@code %%} (and {@code %moe}'s commands), else names that fit the
     * cursor, those matching the expected type first.
     */
    public ReplacementOptions complete(String code, int cursor) {
        ReplacementOptions magic = completeMagic(code, cursor);
        if (magic != null) {
            return magic;
        }
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(code, cursor, anchor);
        Set<String> replacements = suggestions.stream()
                .sorted(Comparator.comparing((Suggestion s) -> !s.matchesType())
                        .thenComparing(Suggestion::continuation))
                .map(Suggestion::continuation)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new ReplacementOptions(List.copyOf(replacements), anchor[0], cursor);
    }

    private ReplacementOptions completeMagic(String code, int cursor) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int lineStart = code.lastIndexOf('\n', at - 1) + 1;
        String line = code.substring(lineStart, at);
        Matcher cell = CELL_MAGIC.matcher(line);
        if (lineStart == 0 && cell.find()) {
            return options(cell.group(1), "%%", magics.cellMagics(), lineStart + cell.start(1), at);
        }
        Matcher lineMagic = LINE_MAGIC.matcher(line);
        if (lineMagic.find() && !lineMagic.group(1).startsWith("%%")) {
            return options(lineMagic.group(1), "%", magics.lineMagics(), lineStart + lineMagic.start(1), at);
        }
        Matcher sub = SUBCOMMAND.matcher(line);
        if (sub.find() && magics.lineMagics().contains(sub.group(1))) {
            List<String> choices = magics.subcommands(sub.group(1));
            if (!choices.isEmpty()) {
                return options(sub.group(2), "", choices, lineStart + sub.start(2), at);
            }
        }
        return null;
    }

    private static ReplacementOptions options(String typed, String prefix, Collection<String> names, int start, int end) {
        List<String> matches = names.stream().map(name -> prefix + name).filter(name -> name.startsWith(typed))
                .sorted().collect(Collectors.toList());
        return new ReplacementOptions(matches, start, end);
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
