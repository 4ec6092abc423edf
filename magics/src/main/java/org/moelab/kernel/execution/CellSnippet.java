package org.moelab.kernel.execution;

/**
 * One complete Java snippet cut out of a cell, with where it starts so errors can name the cell line.
 *
 * @param source    the snippet as JShell should evaluate it (a missing final semicolon already added)
 * @param firstLine the 1-based cell line the snippet starts on
 */
public record CellSnippet(String source, int firstLine) {
    /** The 1-based cell line of a character position inside {@link #source()}. */
    public int cellLineOf(long position) {
        int line = firstLine;
        for (int i = 0; i < Math.min(position, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
