package org.moelab.train;

/**
 * Training stopped because the objective or a hook threw. The model keeps the parameters of the last completed
 * step; {@link #partialRun()} holds what was recorded until then.
 */
public final class TrainingFailedException extends RuntimeException {
    private final transient Run partialRun;

    TrainingFailedException(String message, Throwable cause, Run partialRun) {
        super(message, cause);
        this.partialRun = partialRun;
    }

    public Run partialRun() {
        return partialRun;
    }
}
