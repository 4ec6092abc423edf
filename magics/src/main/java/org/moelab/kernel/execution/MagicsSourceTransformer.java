package org.moelab.kernel.execution;

import io.github.spencerpark.jupyter.kernel.magic.CellMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.LineMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.MagicParser;
import java.util.List;
import java.util.stream.Collectors;

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
 */
public final class MagicsSourceTransformer {
    private static final String RUNTIME = "org.moelab.kernel.runtime.Notebook";

    private final MagicParser parser = new MagicParser("(?<=(?:^|=))\\s*%", "%%");

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
    private static String cellMagicWithoutBody(String cell) {
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

    private static String cellMagicCall(String name, List<String> args, String body) {
        return RUNTIME + ".cellMagic(" + literal(name) + ", " + listOf(args) + ", " + literal(body) + ");{};";
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
