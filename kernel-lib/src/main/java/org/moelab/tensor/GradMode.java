package org.moelab.tensor;

/**
 * Whether ops record the graph. {@code try (var scope = GradMode.noGrad()) { ... }} turns recording off for the
 * current thread (evaluation, optimizer updates), and restores the previous mode on close, even on exceptions.
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {}

    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    public static Scope noGrad() {
        int[] depth = DISABLED_DEPTH.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** A scope that cannot throw on close, so it fits try-with-resources without a catch. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
