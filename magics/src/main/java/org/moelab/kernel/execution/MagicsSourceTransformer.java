package org.moelab.kernel.execution;

import io.github.spencerpark.jupyter.kernel.magic.CellMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.LineMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.MagicParser;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;

/**
 * Rewrites magics into plain Java calls before JShell sees the cell (IJava's design), so magics run on the cell
 * thread in source order, can be interrupted, and can be assigned: {@code List<String> jars = %jars lib/*.jar}.
 * <ul>
 *   <li>{@code %name args} at the start of a line or right after {@code =} becomes
 *       {@code lineMagic("name", List.of("args"...))};</li>
 *   <li>a cell starting with {@code %%name args} becomes {@code cellMagic("name", List.of(...), body)}.</li>
 * </ul>
 * A magic used as a statement is followed by an empty block so it never becomes the cell's displayed value.
 * Line magics are replaced in place (no line breaks added or removed), so compiler errors keep their cell lines.
 * <p>A cell magic's header may bind what it returns to a notebook variable: {@code %%moe --as evo} becomes
 * {@code MoeRun evo = cellMagic("moe", List.of("--as", "evo"), body);} — typed as the magic declares
 * ({@code bindingTypes}; {@code Object} for any other magic) and declared by the magic's return, so a cell whose
 * magic throws declares nothing. The magic still sees {@code --as NAME} in its arguments (and may check it).
 */
public final class MagicsSourceTransformer {
    private static final String RUNTIME = "org.moelab.kernel.runtime.Notebook";
    /** The option of a cell magic's header that binds its value. */
    public static final String BIND_OPTION = "--as";

    private final MagicParser parser = new MagicParser("(?<=(?:^|=))\\s*%", "%%");
    private final Map<String, String> bindingTypes;

    /** No magic declares a binding type: {@code --as} binds an {@code Object}. */
    public MagicsSourceTransformer() {
        this(Map.of());
    }

    /** @param bindingTypes cell magic name → the fully qualified type its {@code --as} variable gets */
    public MagicsSourceTransformer(Map<String, String> bindingTypes) {
        this.bindingTypes = Map.copyOf(bindingTypes);
    }

    public String transform(String cell) {
        CellMagicParseContext cellMagic = parser.parseCellMagic(cell);
        if (cellMagic != null) {
            return cellMagicCall(cellMagic.getMagicCall().getName(), cellMagic.getMagicCall().getArgs(),
                    cellMagic.getMagicCall().getBody());
        }
        String headerOnly = cellMagicWithoutBody(cell);
        if (headerOnly != null) {
            return headerOnly;
        }
        return parser.transformLineMagics(cell, this::lineMagicCall);
    }

    /**
     * A cell that is only a {@code %%name args} line (maybe followed by blank lines), e.g. {@code %%moe help}:
     * basekernel's parser wants a body, so without this the line would reach javac as Java. It becomes a cell magic
     * call with an empty body, and the magic decides (help, or a clear error naming what is missing).
     */
    private String cellMagicWithoutBody(String cell) {
        String trimmed = cell.strip();
        if (!trimmed.startsWith("%%") || trimmed.contains("\n")) {
            return null;
        }
        String header = trimmed.substring(2).strip();
        if (header.isEmpty() || !Character.isLetterOrDigit(header.charAt(0))) {
            return null;
        }
        List<String> words = List.of(header.split("\\s+"));
        return cellMagicCall(words.get(0), words.subList(1, words.size()), "");
    }

    private String cellMagicCall(String name, List<String> args, String body) {
        String call = RUNTIME + ".cellMagic(" + literal(name) + ", " + listOf(args) + ", " + literal(body) + ")";
        String variable = boundVariable(args);
        if (variable == null) return call + ";{};";
        return bindingTypes.getOrDefault(name, "Object") + " " + variable + " = " + call + ";";
    }

    /** The NAME of {@code --as NAME} in a cell magic's header, or null; fails when NAME is not a Java variable name. */
    static String boundVariable(List<String> args) {
        int at = args.indexOf(BIND_OPTION);
        if (at < 0) return null;
        String name = at + 1 < args.size() ? args.get(at + 1) : "";
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name) || name.equals("_")) {
            throw new IllegalArgumentException(BIND_OPTION + " needs a Java variable name after it (e.g. %%moe --as run1), got '" + name + "'");
        }
        return name;
    }

    private String lineMagicCall(LineMagicParseContext context) {
        String call = RUNTIME + ".lineMagic(" + literal(context.getMagicCall().getName()) + ", "
                + listOf(context.getMagicCall().getArgs()) + ")";
        boolean assigned = !context.getLinePrefix().isBlank();
        return assigned ? " " + call + ";" : call + ";{};";
    }

    private static String listOf(List<String> args) {
        return "java.util.List.of(" + args.stream().map(MagicsSourceTransformer::literal)
                .collect(Collectors.joining(", ")) + ")";
    }

    /** A Java string literal for any text, on one line. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
