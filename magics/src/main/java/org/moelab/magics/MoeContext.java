package org.moelab.magics;

import java.io.PrintStream;
import org.moelab.experiments.MoeRun;

/** What a {@link MoeCommand} may do to the notebook: show values and print text. */
public interface MoeContext {
    /** Shows a value below the cell with the kernel's renderers (tables, charts, images). */
    void display(Object value);

    /** Shows a value as the given MIME types only, e.g. {@code "text/markdown"}. */
    void display(Object value, String... mimeTypes);

    /** The cell's standard output. */
    default PrintStream out() {
        return System.out;
    }

    /** The registry, so a command can list or delegate to others. */
    MoeCommands commands();

    /**
     * The run a {@code %%moe --as NAME} cell of this kernel bound to {@code name} (the latest such cell's); fails
     * naming the runs there are.
     */
    default MoeRun run(String name) {
        throw new IllegalArgumentException("No %%moe run named '" + name + "' in this context");
    }
}
