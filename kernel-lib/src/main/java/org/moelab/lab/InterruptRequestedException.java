package org.moelab.lab;

/** Thrown by {@link Interrupts#check()} when the user interrupted the running cell. */
public final class InterruptRequestedException extends RuntimeException {
    public InterruptRequestedException() {
        super("Interrupted by the user");
    }
}
