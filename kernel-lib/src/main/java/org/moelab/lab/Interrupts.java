package org.moelab.lab;

/**
 * The notebook-visible interrupt flag. The kernel raises it when the user interrupts a cell and lowers it when the
 * next cell starts; long loops (the trainer, experiment sweeps) poll {@link #check()} between steps so an
 * interrupt stops them cleanly, with their partial results intact, instead of waiting for the kernel's forced stop.
 */
public final class Interrupts {
    private static volatile boolean requested;

    private Interrupts() {
    }

    /** True once an interrupt was requested for the running cell. */
    public static boolean requested() {
        return requested;
    }

    /** Throws {@link InterruptRequestedException} if an interrupt was requested; call it between units of work. */
    public static void check() {
        if (requested) {
            throw new InterruptRequestedException();
        }
    }

    /** Called by the kernel when the user presses interrupt. */
    public static void request() {
        requested = true;
    }

    /** Called by the kernel before each cell, so one interrupt never leaks into the next cell. */
    public static void clear() {
        requested = false;
    }
}
