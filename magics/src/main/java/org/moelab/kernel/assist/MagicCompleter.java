package org.moelab.kernel.assist;

import java.util.List;

/**
 * What one magic offers completion for beyond its name: the later words of {@code %magic w1 w2 …}, and in a
 * {@code %%magic} cell the header's words, the body's {@code key:} names and a key's values. Each method gets the
 * words already typed before the one being completed and returns every choice (the caller filters by what is typed).
 */
public interface MagicCompleter {
    MagicCompleter NONE = new MagicCompleter() {};

    /** Choices for the next word of {@code %magic before…}. */
    default List<String> arguments(List<String> before) {
        return List.of();
    }

    /** Choices for the next word of a cell's first line {@code %%magic before…}. */
    default List<String> cellArguments(List<String> before) {
        return List.of();
    }

    /** Key names for a {@code key: value} line of the cell's body, given the header's words and the whole body. */
    default List<String> cellKeys(List<String> header, String body) {
        return List.of();
    }

    /** Values for {@code key:} in the cell's body. */
    default List<String> cellValues(List<String> header, String key, String body) {
        return List.of();
    }
}
