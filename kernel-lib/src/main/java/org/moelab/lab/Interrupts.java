package org.moelab.lab;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The notebook-visible interrupt flag. The kernel raises it when the user interrupts a cell and lowers it when the
 * next cell starts; long loops (the trainer, experiment sweeps) poll {@link #check()} between steps so an
 * interrupt stops them cleanly, with their partial results intact, instead of waiting for the kernel's forced stop.
 *
 * <p>The flag is process-wide on purpose (one interrupt stops every training of the cell). A thread that runs one of
 * several trainings in the same JVM (a sweep's task) can add its own stop condition with {@link #watching}: it is
 * confined to that thread, so cancelling one task never stops its neighbours.
 */
public final class Interrupts {
    private static volatile boolean requested;
    /** This thread's extra stop condition (null: none); per thread so concurrent trainings cancel independently. */
    private static final ThreadLocal<BooleanSupplier> WATCHED = new ThreadLocal<>();

    private Interrupts() {
    }

    /** True once an interrupt was requested for the running cell, or this thread's watched condition holds. */
    public static boolean requested() {
        if (requested) return true;
        BooleanSupplier watched = WATCHED.get();
        return watched != null && watched.getAsBoolean();
    }

    /** Throws {@link InterruptRequestedException} if an interrupt was requested; call it between units of work. */
    public static void check() {
        if (requested()) {
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

    /**
     * Makes {@code stop} a further interrupt condition for the calling thread only, until the returned scope closes
     * (then the previous condition, if any, is back).
     */
    public static Scope watching(BooleanSupplier stop) {
        Objects.requireNonNull(stop, "stop");
        BooleanSupplier previous = WATCHED.get();
        WATCHED.set(stop);
        return () -> {
            if (previous == null) WATCHED.remove();
            else WATCHED.set(previous);
        };
    }
}
