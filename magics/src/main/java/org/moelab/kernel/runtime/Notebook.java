package org.moelab.kernel.runtime;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.List;
import java.util.UUID;
import org.moelab.kernel.MoeLabKernel;

/**
 * The helpers every notebook has statically imported, with IJava's names and signatures so IJava snippets work
 * unchanged: {@code display}, {@code render}, {@code updateDisplay}, {@code getKernelInstance}, {@code lineMagic},
 * {@code cellMagic}, {@code eval}.
 */
public final class Notebook {
    private static volatile MoeLabKernel kernel;

    private Notebook() {
    }

    /** Set by the kernel before it evaluates a cell. */
    public static void attach(MoeLabKernel current) {
        kernel = current;
    }

    public static MoeLabKernel getKernelInstance() {
        MoeLabKernel current = kernel;
        if (current == null) {
            throw new IllegalStateException("No MoE Lab kernel is running in this JVM");
        }
        return current;
    }

    /** Renders a value into a MIME bundle without showing it (the cell's value is shown, so this can end a cell). */
    public static DisplayData render(Object value) {
        return getKernelInstance().getRenderer().render(value);
    }

    /** Renders a value as the given MIME types, e.g. {@code render(chart, "image/svg+xml")}. */
    public static DisplayData render(Object value, String... mimeTypes) {
        return getKernelInstance().getRenderer().renderAs(value, mimeTypes);
    }

    /** Shows a value now, below the cell, and returns its display id for {@link #updateDisplay}. */
    public static String display(Object value) {
        return show(render(value));
    }

    public static String display(Object value, String... mimeTypes) {
        return show(render(value, mimeTypes));
    }

    /** Replaces an earlier {@link #display} output in place: progress bars, live training curves. */
    public static void updateDisplay(String id, Object value) {
        getKernelInstance().updateDisplay(id, render(value));
    }

    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        getKernelInstance().updateDisplay(id, render(value, mimeTypes));
    }

    /** Evaluates Java (magics allowed) as if it were a cell; returns the value of its last expression, or null. */
    public static Object eval(String code) throws Exception {
        return getKernelInstance().evalRaw(code).value();
    }

    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, List<String> args) throws Exception {
        return (T) getKernelInstance().getMagics().applyLineMagic(name, args);
    }

    @SuppressWarnings("unchecked")
    public static <T> T cellMagic(String name, List<String> args, String body) throws Exception {
        return (T) getKernelInstance().getMagics().applyCellMagic(name, args, body);
    }

    private static String show(DisplayData data) {
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        getKernelInstance().display(data);
        return id;
    }
}
