package org.moelab.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.Renderer;

/**
 * The renderers MoE Lab adds to basekernel's defaults (which already show {@code BufferedImage}/any
 * {@code RenderedImage} as PNG): XChart charts and kernel-lib's {@code HtmlRenderable} values.
 * Later code adds more with {@code getKernelInstance().getRenderer().createRegistration(...)} or a
 * {@link org.moelab.kernel.KernelExtension}.
 */
public final class Renderers {
    private Renderers() {
    }

    public static void registerDefaults(Renderer renderer) {
        XChartRenderer.register(renderer);
        HtmlRenderableRenderer.register(renderer);
    }
}
