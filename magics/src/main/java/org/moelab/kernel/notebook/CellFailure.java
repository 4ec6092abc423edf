package org.moelab.kernel.notebook;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The first failing cell of a notebook run.
 *
 * @param cellNumber 1-based position among all cells, as a reader counts them
 * @param source     the cell's code
 * @param errorName  the exception's simple class name
 * @param traceback  the lines Jupyter would show, colour codes removed
 */
public record CellFailure(int cellNumber, String source, String errorName, List<String> traceback) {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");

    public static CellFailure of(int cellNumber, String source, String errorName, List<String> traceback) {
        return new CellFailure(cellNumber, source, errorName,
                traceback.stream().map(line -> ANSI.matcher(line).replaceAll("")).toList());
    }

    public String describe(String notebook) {
        return notebook + ": cell " + cellNumber + " failed with " + errorName + "\n"
                + String.join("\n", traceback) + "\n--- cell " + cellNumber + " ---\n" + source;
    }
}
