package org.moelab.kernel.execution;

/** User code threw. {@link #getCause()} is the real exception, causes and stack included. */
public final class CellRuntimeException extends RuntimeException {
    public CellRuntimeException(Throwable userException) {
        super(userException.toString(), userException);
    }
}
