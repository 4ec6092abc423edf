package org.moelab.train;

import java.util.Locale;
import org.moelab.viz.HtmlRenderable;

/** The outcome of {@link Trainer#fit()}: how it ended, what it recorded, and how long it took. */
public record Run(String label, RunStatus status, String message, long stepsDone, double wallSeconds, History history)
        implements HtmlRenderable {

    public boolean completed() {
        return status == RunStatus.COMPLETED;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Run[%s: %s after %d steps in %.1fs, final loss %.4f%s]", label, status, stepsDone,
                wallSeconds, history.recentLoss(20), message == null ? "" : "; " + message);
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div><b>").append(label).append("</b>: ").append(status)
                .append(String.format(Locale.ROOT, " after %d steps in %.1f s; loss (last 20 steps) %.4f", stepsDone, wallSeconds, history.recentLoss(20)));
        history.lastMetrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "; %s %.4f", k, v)));
        if (message != null) sb.append("<br><i>").append(message).append("</i>");
        return sb.append("</div>").toString();
    }
}
