package org.moelab.lab;

import java.util.Objects;

/**
 * A display that can be replaced in place: what a progress bar or a live training curve needs. The kernel installs
 * a notebook implementation (Jupyter's {@code display} + {@code update_display}); without one, output goes to
 * standard out as plain text, throttled so a headless run prints a handful of lines, not thousands.
 *
 * <p>The installed display is process-wide; a thread that runs one of several concurrent trainings (a sweep's task)
 * replaces it for itself only with {@link #using}, so its progress never lands in the cell's output.
 */
public interface LiveDisplay {

    /** Shows {@code initial} and returns the handle that replaces it later. */
    Handle show(Object initial);

    /** One shown output. */
    interface Handle {
        /** Replaces the shown output with {@code value} (throttling is the display's business). */
        void update(Object value);

        /** Shows the final value; always rendered, even when updates are throttled. */
        default void finish(Object value) {
            update(value);
        }
    }

    /** This thread's display if one was set with {@link #using}, else the installed one. */
    static LiveDisplay current() {
        LiveDisplay own = Holder.PER_THREAD.get();
        return own != null ? own : Holder.current;
    }

    /** Makes {@code display} the calling thread's display until the returned scope closes. */
    static Scope using(LiveDisplay display) {
        Objects.requireNonNull(display, "display");
        LiveDisplay previous = Holder.PER_THREAD.get();
        Holder.PER_THREAD.set(display);
        return () -> {
            if (previous == null) Holder.PER_THREAD.remove();
            else Holder.PER_THREAD.set(previous);
        };
    }

    /** Shows nothing: for trainings whose progress nobody watches. */
    static LiveDisplay none() {
        return initial -> value -> {};
    }

    /** Called by the kernel at start-up. */
    static void install(LiveDisplay display) {
        Holder.current = Objects.requireNonNull(display, "display");
    }

    /** The headless fallback: prints the value's text every {@code intervalMillis} and at the end. */
    static LiveDisplay text(long intervalMillis) {
        return initial -> new Handle() {
            private long lastPrint;

            @Override
            public void update(Object value) {
                long now = System.currentTimeMillis();
                if (now - lastPrint >= intervalMillis) {
                    lastPrint = now;
                    System.out.println(value);
                }
            }

            @Override
            public void finish(Object value) {
                System.out.println(value);
            }
        };
    }

    /** Holds the installed display. */
    final class Holder {
        static volatile LiveDisplay current = text(10_000);
        static final ThreadLocal<LiveDisplay> PER_THREAD = new ThreadLocal<>();

        private Holder() {}
    }
}
