package org.moelab.kernel.notebook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.moelab.kernel.MoeLabKernel;

/**
 * Every notebook in {@code notebooks/} is a test: its code cells run in order on a fresh {@link MoeLabKernel} (the
 * class Jupyter launches) with {@code MOELAB_PRESET=quick}; the first failing cell fails the test with its number
 * and error. Executed copies land in {@code target/executed-notebooks/} for a look at the outputs.
 * {@link NotebookReproducibilityTest} runs its notebook (twice, comparing the results), so it is not run here again.
 */
class NotebookTest {

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsWithoutErrors() throws Exception {
        List<Path> notebooks = Notebooks.all();
        assertFalse(notebooks.isEmpty(), "no notebooks found under " + Notebooks.repositoryRoot());
        return notebooks.stream().filter(path -> !path.getFileName().toString().equals(NotebookReproducibilityTest.NOTEBOOK)).map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> run(path)));
    }

    private static void run(Path path) throws Exception {
        NotebookFile notebook = NotebookFile.read(path);
        MoeLabKernel kernel = new MoeLabKernel();
        try {
            NotebookRun run = new NotebookExecutor(kernel).execute(notebook);
            run.executed().write(Path.of("target", "executed-notebooks", notebook.name()));
            run.failure().ifPresent(failure -> fail(failure.describe(notebook.name())));
        } finally {
            kernel.onShutdown(false);
        }
    }
}
