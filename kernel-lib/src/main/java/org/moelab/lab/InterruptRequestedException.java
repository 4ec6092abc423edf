package org.moelab.lab;

/** Thrown by {@link Interrupts#check()} when the user interrupted the running cell. */
public final class InterruptRequestedException extends RuntimeException {
    public InterruptRequestedException() {
        this("Interrupted by the user");
    }

    /** An interrupt whose message says what the interrupted work kept (e.g. a sweep's finished points). */
    public InterruptRequestedException(String message) {
        super(message);
    }
}
