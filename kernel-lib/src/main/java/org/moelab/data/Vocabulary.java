package org.moelab.data;

import java.util.Arrays;

/**
 * A character vocabulary: ids 0..size-1 in a fixed symbol order. Built from a text (distinct characters,
 * sorted, so the same text always gives the same ids) or from an explicit alphabet (ids in the given order).
 */
public final class Vocabulary {
    private final String symbols;
    // Index by char value: 64K ints is 256 KB, small next to any corpus and faster than a map in batch encoding.
    private final int[] idByChar;

    private Vocabulary(String symbols) {
        this.symbols = symbols;
        this.idByChar = new int[Character.MAX_VALUE + 1];
        Arrays.fill(idByChar, -1);
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            if (idByChar[c] >= 0) {
                throw new IllegalArgumentException("alphabet repeats the character " + describe(c) + " at index " + i);
            }
            idByChar[c] = i;
        }
    }

    /** The distinct characters of {@code text}, sorted by char value. */
    public static Vocabulary of(CharSequence text) {
        return new Vocabulary(text.chars().distinct().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    }

    /** Ids follow the alphabet's order; characters must not repeat. */
    public static Vocabulary ofAlphabet(String alphabet) {
        if (alphabet.isEmpty()) throw new IllegalArgumentException("alphabet must not be empty");
        return new Vocabulary(alphabet);
    }

    public int size() {
        return symbols.length();
    }

    /** All symbols in id order. */
    public String symbols() {
        return symbols;
    }

    public char symbol(int id) {
        if (id < 0 || id >= symbols.length()) {
            throw new IllegalArgumentException("id " + id + " is outside the vocabulary [0, " + symbols.length() + ")");
        }
        return symbols.charAt(id);
    }

    public boolean contains(char c) {
        return idByChar[c] >= 0;
    }

    public int id(char c) {
        int id = idByChar[c];
        if (id < 0) throw new IllegalArgumentException("character " + describe(c) + " is not in the vocabulary");
        return id;
    }

    public int[] encode(CharSequence text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            char c = text.charAt(i);
            ids[i] = idByChar[c];
            if (ids[i] < 0) {
                throw new IllegalArgumentException("character " + describe(c) + " at index " + i
                        + " is not in the vocabulary (" + symbols.length() + " symbols)");
            }
        }
        return ids;
    }

    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    public String decode(int[] ids, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) out.append(symbol(ids[i]));
        return out.toString();
    }

    static String describe(char c) {
        return c >= 32 && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + symbols.length() + " symbols)";
    }
}
