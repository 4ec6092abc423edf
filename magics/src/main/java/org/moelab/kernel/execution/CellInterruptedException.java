package org.moelab.kernel.execution;

/** The running cell was interrupted from Jupyter; the kernel and its variables live on. */
public final class CellInterruptedException extends RuntimeException {
    public CellInterruptedException() {
        super("Execution interrupted by the user; the kernel and its variables are intact.");
    }
}
