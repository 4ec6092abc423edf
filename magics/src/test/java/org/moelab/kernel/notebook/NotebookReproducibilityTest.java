package org.moelab.kernel.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.moelab.kernel.MoeLabKernel;

/**
 * A paper notebook executed twice, each time on a fresh kernel, prints the same results: the quick preset's tables
 * are fixed values that anyone can re-obtain to the last digit. {@link NotebookTest} leaves this notebook to this test,
 * so it still runs (and must pass) as every other notebook does.
 */
class NotebookReproducibilityTest {
    static final String NOTEBOOK = "01-smoe-dropout.ipynb";
    /**
     * Evaluated in the kernel after the notebook ran: every run's results (the per-seed table the summary averages, as
     * CSV with full digits) and the claim's verdict, leaving out the wall-clock columns ("train s").
     */
    private static final String RESULTS = """
            var runs = report.table("runs");
            runs.select(runs.columns().stream().filter(c -> !c.endsWith(" s")).toArray(String[]::new)).toCsv() + verdict
            """;

    @Test
    void smoeDropoutNotebookGivesTheSameResultsTwice() throws Exception {
        String first = results(), second = results();
        assertTrue(first.contains("valid BPC") && first.lines().count() > 3, first);
        assertEquals(first, second);
    }

    /** Runs the notebook on a fresh kernel and returns its results as text. */
    private static String results() throws Exception {
        NotebookFile notebook = NotebookFile.read(Notebooks.repositoryRoot().resolve("notebooks").resolve(NOTEBOOK));
        MoeLabKernel kernel = new MoeLabKernel();
        try {
            NotebookRun run = new NotebookExecutor(kernel).execute(notebook);
            run.failure().ifPresent(failure -> fail(failure.describe(notebook.name())));
            return String.valueOf(kernel.evalRaw(RESULTS).value());
        } finally {
            kernel.onShutdown(false);
        }
    }
}
