package org.moelab.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/**
 * Sees every {@code display}/{@code updateDisplay} the kernel makes. Jupyter gets them over ZMQ anyway; the
 * in-process notebook runner listens here to record them as cell outputs.
 */
public interface DisplayListener {
    void displayed(DisplayData data);

    void updated(String displayId, DisplayData data);

    DisplayListener NONE = new DisplayListener() {
        @Override
        public void displayed(DisplayData data) {
        }

        @Override
        public void updated(String displayId, DisplayData data) {
        }
    };
}
