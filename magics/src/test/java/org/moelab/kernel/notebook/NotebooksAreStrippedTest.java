package org.moelab.kernel.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Notebooks are committed without outputs: diffs stay readable, and nothing stale can pass for a result.
 * {@code ./moelab reproduce} writes executed copies under {@code build/}.
 */
class NotebooksAreStrippedTest {

    @Test
    void noCommittedNotebookCarriesOutputsOrExecutionCounts() throws Exception {
        for (Path path : Notebooks.all()) {
            NotebookFile notebook = NotebookFile.read(path);
            for (NotebookFile.Cell cell : notebook.codeCells()) {
                String where = notebook.name() + " cell " + cell.number();
                assertEquals(0, cell.outputs().size(), where + " has outputs; strip them (./moelab strip)");
                assertTrue(cell.executionCount() == null || cell.executionCount().isJsonNull(),
                        where + " has an execution count; strip it (./moelab strip)");
            }
            assertEquals("moelab-java", notebook.kernelName(), notebook.name() + " must use the MoE Lab kernel");
        }
    }
}
