package org.moelab.kernel.runtime;

/**
 * What {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} become in notebook code: the kernel
 * rewrites those calls in every cell's classes (see {@code org.moelab.kernel.execution.ExitGuard}), because ending
 * the kernel's JVM would lose every variable of the notebook. The cell fails with this error instead.
 */
public final class CellExit {
    private CellExit() {
    }

    public static void exit(int status) {
        throw refused("System.exit(" + status + ")");
    }

    public static void exit(Runtime runtime, int status) {
        throw refused("Runtime.getRuntime().exit(" + status + ")");
    }

    public static void halt(Runtime runtime, int status) {
        throw refused("Runtime.getRuntime().halt(" + status + ")");
    }

    private static UnsupportedOperationException refused(String call) {
        return new UnsupportedOperationException(call + " was not run: it would end the kernel's JVM and lose every "
                + "variable of this notebook. To stop a cell, return or throw an exception; to start afresh, restart "
                + "the kernel (Kernel > Restart).");
    }
}
