package org.moelab.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.moelab.viz.HtmlRenderable;

/** kernel-lib's tables and reports know their HTML; Jupyter gets it as text/html ({@code toString()} as plain text). */
final class HtmlRenderableRenderer {
    private HtmlRenderableRenderer() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(HtmlRenderable.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((value, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, value::toHtml));
    }
}
