package org.moelab.lab;

import java.util.Objects;

/**
 * A display that can be replaced in place: what a progress bar or a live training curve needs. The kernel installs
 * a notebook implementation (Jupyter's {@code display} + {@code update_display}); without one, output goes to
 * standard out as plain text, throttled so a headless run prints a handful of lines, not thousands.
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

    static LiveDisplay current() {
        return Holder.current;
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

        private Holder() {}
    }
}
