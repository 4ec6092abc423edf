package org.moelab.lab;

/**
 * A thread-confined setting that is undone on close ({@link Interrupts#watching}, {@link LiveDisplay#using}); use it
 * in try-with-resources so the thread (often a pooled one) gets back exactly what it had.
 */
@FunctionalInterface
public interface Scope extends AutoCloseable {
    @Override
    void close();
}
