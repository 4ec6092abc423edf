package org.moelab.kernel.notebook;

import java.time.Duration;
import java.util.Optional;

/** The outcome of executing one notebook: the executed copy, how long it took, the failing cell if any. */
public record NotebookRun(NotebookFile executed, Duration elapsed, Optional<CellFailure> failure) {
    public boolean succeeded() {
        return failure.isEmpty();
    }
}
