package org.moelab.viz;

/**
 * A value that knows how to show itself as HTML in a notebook. The kernel renders any such value as
 * {@code text/html} (with {@code toString()} as the {@code text/plain} fallback), so kernel-lib stays free of
 * Jupyter classes.
 */
public interface HtmlRenderable {
    String toHtml();

    /** {@code text} safe inside an HTML element or a quoted attribute: {@code & < > " '} as entities. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
