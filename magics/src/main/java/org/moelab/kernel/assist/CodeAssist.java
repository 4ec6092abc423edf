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
    /** {@code %name w1 w2 typed}: a later word of a line magic (group 2: the words before, group 3: the one typed). */
    private static final Pattern MAGIC_WORDS = Pattern.compile("(?:^|=)\\s*%([\\w-]+)((?:\\s+\\S+)*?)\\s+(\\S*)$");
    /** A cell magic's first line: its name and the words after it. */
    private static final Pattern CELL_HEADER = Pattern.compile("^\\s*%%([\\w-]+)(.*)$");
    /** The first line up to the cursor, past the name: the words before and the one typed. */
    private static final Pattern CELL_WORDS = Pattern.compile("^\\s*%%[\\w-]+((?:\\s+\\S+)*?)\\s+(\\S*)$");
    /** A body line with only a key being typed. */
    private static final Pattern BODY_KEY = Pattern.compile("^\\s*([\\w.]*)$");
    /** A body line {@code key: value-being-typed}. */
    private static final Pattern BODY_VALUE = Pattern.compile("^\\s*([\\w.]+)\\s*:\\s*(\\S*)$");

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
        ReplacementOptions inCell = completeInCellMagic(code, lineStart, line, at);
        if (inCell != null) {
            return inCell;
        }
        Matcher lineMagic = LINE_MAGIC.matcher(line);
        if (lineMagic.find() && !lineMagic.group(1).startsWith("%%")) {
            return options(lineMagic.group(1), "%", magics.lineMagics(), lineStart + lineMagic.start(1), at);
        }
        Matcher words = MAGIC_WORDS.matcher(line);
        if (words.find() && magics.lineMagics().contains(words.group(1))) {
            List<String> choices = magics.completer(words.group(1)).arguments(wordsOf(words.group(2)));
            if (!choices.isEmpty()) {
                return options(words.group(3), "", choices, lineStart + words.start(3), at);
            }
        }
        return null;
    }

    /**
     * Inside a {@code %%magic} cell: the header's later words, a body line's {@code key} (completed with ": ") or a
     * key's value, as the magic's {@link MagicCompleter} offers them; null when the cell is no known cell magic.
     */
    private ReplacementOptions completeInCellMagic(String code, int lineStart, String line, int at) {
        int firstLineEnd = code.indexOf('\n');
        String header = firstLineEnd < 0 ? code : code.substring(0, firstLineEnd);
        Matcher head = CELL_HEADER.matcher(header);
        if (!head.find() || !magics.cellMagics().contains(head.group(1))) {
            return null;
        }
        MagicCompleter completer = magics.completer(head.group(1));
        if (lineStart == 0) {
            Matcher words = CELL_WORDS.matcher(line);
            if (!words.find()) return null;
            return options(words.group(2), "", completer.cellArguments(wordsOf(words.group(1))), words.start(2), at);
        }
        List<String> headerWords = wordsOf(head.group(2));
        String body = code.substring(firstLineEnd + 1);
        Matcher key = BODY_KEY.matcher(line);
        if (key.find()) {
            List<String> keys = completer.cellKeys(headerWords, body).stream().map(k -> k + ": ").toList();
            return options(key.group(1), "", keys, lineStart + key.start(1), at);
        }
        Matcher value = BODY_VALUE.matcher(line);
        if (value.find()) {
            return options(value.group(2), "", completer.cellValues(headerWords, value.group(1), body), lineStart + value.start(2), at);
        }
        return null;
    }

    private static List<String> wordsOf(String text) {
        String t = text == null ? "" : text.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
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
