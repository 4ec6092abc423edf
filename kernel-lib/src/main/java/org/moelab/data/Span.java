package org.moelab.data;

/** A half-open range [start, end) of character positions in a corpus. */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }

    public int length() {
        return end - start;
    }

    public boolean contains(int position) {
        return position >= start && position < end;
    }
}
