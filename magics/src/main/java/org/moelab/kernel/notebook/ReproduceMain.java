package org.moelab.kernel.notebook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.moelab.kernel.MoeLabKernel;

/**
 * {@code ./moelab reproduce}'s engine: executes notebooks on a fresh in-process kernel each and writes the executed
 * copies (outputs included) into an output folder. Exit status 1 if any notebook fails.
 * <pre>
 *   java ... org.moelab.kernel.notebook.ReproduceMain OUTPUT_DIR NOTEBOOK.ipynb...
 * </pre>
 */
public final class ReproduceMain {
    private ReproduceMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ReproduceMain OUTPUT_DIR NOTEBOOK.ipynb...");
            System.exit(2);
        }
        Path outputDir = Path.of(args[0]);
        List<String> failed = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            NotebookFile notebook = NotebookFile.read(Path.of(args[i]));
            System.out.println("executing " + notebook.path() + " ...");
            MoeLabKernel kernel = new MoeLabKernel();
            try {
                NotebookRun run = new NotebookExecutor(kernel).execute(notebook);
                Path target = outputDir.resolve(notebook.name());
                run.executed().write(target);
                System.out.printf("  %s in %.1f s -> %s%n", run.succeeded() ? "ok" : "FAILED",
                        run.elapsed().toMillis() / 1000.0, target);
                run.failure().ifPresent(f -> {
                    System.out.println(f.describe(notebook.name()));
                    failed.add(notebook.name());
                });
            } finally {
                kernel.onShutdown(false);
            }
        }
        if (!failed.isEmpty()) {
            System.err.println("failed: " + String.join(", ", failed));
        }
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}
