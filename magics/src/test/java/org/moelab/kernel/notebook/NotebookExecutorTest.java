package org.moelab.kernel.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.kernel.MoeLabKernel;

class NotebookExecutorTest {

    private static final String NOTEBOOK = """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
               "source": ["int x = 20;\\n", "System.out.println(\\"x is \\" + x);\\n", "x * 2"]},
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
               "source": "throw new IllegalArgumentException(\\"bad input\\");"},
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "x"}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
            """;

    @Test
    void recordsOutputsAndStopsAtTheFirstFailingCellNamingIt(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("failing.ipynb");
        Files.writeString(path, NOTEBOOK);
        MoeLabKernel kernel = new MoeLabKernel();
        try {
            NotebookRun run = new NotebookExecutor(kernel).execute(NotebookFile.read(path));
            CellFailure failure = run.failure().orElseThrow();
            assertEquals(3, failure.cellNumber(), "cells are counted as a reader counts them, markdown included");
            String message = failure.describe("failing.ipynb");
            assertTrue(message.contains("cell 3") && message.contains("IllegalArgumentException: bad input"), message);

            var cells = run.executed().codeCells();
            JsonObject stdout = cells.get(0).outputs().get(0).getAsJsonObject();
            assertEquals("x is 20\n", stdout.get("text").getAsString());
            JsonObject result = cells.get(0).outputs().get(1).getAsJsonObject();
            assertEquals("40", result.getAsJsonObject("data").get("text/plain").getAsString());
            assertEquals("error", cells.get(1).outputs().get(0).getAsJsonObject().get("output_type").getAsString());
            assertEquals(0, cells.get(2).outputs().size(), "cells after the failure do not run");
        } finally {
            kernel.onShutdown(false);
        }
    }
}
