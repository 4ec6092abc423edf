package org.moelab.kernel.notebook;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.moelab.kernel.MoeLabKernel;

/**
 * Runs a notebook's code cells in order on an in-process {@link MoeLabKernel} — the same kernel class Jupyter
 * launches, minus ZMQ — and records outputs the way Jupyter would. Stops at the first failing cell, like
 * {@code jupyter nbconvert --execute} without {@code --allow-errors}.
 */
public final class NotebookExecutor {
    private final MoeLabKernel kernel;

    public NotebookExecutor(MoeLabKernel kernel) {
        this.kernel = kernel;
    }

    public NotebookRun execute(NotebookFile notebook) {
        long start = System.nanoTime();
        int executionCount = 0;
        for (NotebookFile.Cell cell : notebook.codeCells()) {
            executionCount++;
            CellOutputs outputs = new CellOutputs();
            Optional<CellFailure> failure = runCell(cell, outputs, executionCount);
            cell.setOutputs(outputs.toJson(), executionCount);
            if (failure.isPresent()) {
                return new NotebookRun(notebook, Duration.ofNanos(System.nanoTime() - start), failure);
            }
        }
        return new NotebookRun(notebook, Duration.ofNanos(System.nanoTime() - start), Optional.empty());
    }

    private Optional<CellFailure> runCell(NotebookFile.Cell cell, CellOutputs outputs, int executionCount) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        kernel.setDisplayListener(outputs);
        try {
            DisplayData result = kernel.eval(cell.source());
            flush(outputs, out, err);
            if (result != null) {
                outputs.result(result, executionCount);
            }
            return Optional.empty();
        } catch (Exception e) {
            flush(outputs, out, err);
            var traceback = kernel.formatError(e);
            outputs.error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), traceback);
            return Optional.of(CellFailure.of(cell.number(), cell.source(), e.getClass().getSimpleName(), traceback));
        } finally {
            kernel.setDisplayListener(null);
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static void flush(CellOutputs outputs, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        outputs.stream("stdout", out.toString(StandardCharsets.UTF_8));
        outputs.stream("stderr", err.toString(StandardCharsets.UTF_8));
    }
}
