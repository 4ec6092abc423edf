package org.moelab.viz;

/**
 * A value that knows how to show itself as HTML in a notebook. The kernel renders any such value as
 * {@code text/html} (with {@code toString()} as the {@code text/plain} fallback), so kernel-lib stays free of
 * Jupyter classes.
 */
public interface HtmlRenderable {
    String toHtml();
}
