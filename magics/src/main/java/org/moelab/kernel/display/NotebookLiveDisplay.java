package org.moelab.kernel.display;

import org.moelab.kernel.MoeLabKernel;
import org.moelab.lab.LiveDisplay;

/**
 * kernel-lib's {@link LiveDisplay} for a notebook: one output below the cell, replaced in place with Jupyter's
 * {@code update_display_data}. Updates are throttled so a fast training loop does not flood the browser.
 */
public final class NotebookLiveDisplay implements LiveDisplay {
    private static final long MIN_UPDATE_INTERVAL_MS = 200;

    private final MoeLabKernel kernel;

    public NotebookLiveDisplay(MoeLabKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Handle show(Object initial) {
        var data = kernel.getRenderer().render(initial);
        String id = java.util.UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernel.display(data);
        return new Handle() {
            private long lastUpdate = System.currentTimeMillis();

            @Override
            public void update(Object value) {
                long now = System.currentTimeMillis();
                if (now - lastUpdate >= MIN_UPDATE_INTERVAL_MS) {
                    lastUpdate = now;
                    kernel.updateDisplay(id, kernel.getRenderer().render(value));
                }
            }

            @Override
            public void finish(Object value) {
                kernel.updateDisplay(id, kernel.getRenderer().render(value));
            }
        };
    }
}
