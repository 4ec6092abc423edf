package org.moelab.train;

import java.util.Locale;
import java.util.Map;
import org.moelab.viz.HtmlRenderable;

/** A snapshot of a running training loop, shown as a live progress bar in notebooks and as one line in text. */
public record TrainingProgress(String label, long step, long totalSteps, double loss, double learningRate,
                               double tokensPerSecond, double elapsedSeconds, Map<String, Double> lastMetrics,
                               String status) implements HtmlRenderable {

    public double fraction() {
        return totalSteps <= 0 ? 1 : Math.min(1, (double) step / totalSteps);
    }

    public double etaSeconds() {
        return step == 0 ? Double.NaN : elapsedSeconds * (totalSteps - step) / step;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s %5.1f%% step %d/%d loss %.4f lr %.2e %.0f tok/s %s",
                label, 100 * fraction(), step, totalSteps, loss, learningRate, tokensPerSecond, time(elapsedSeconds)));
        if (!Double.isNaN(etaSeconds()) && step < totalSteps) sb.append(" eta ").append(time(etaSeconds()));
        lastMetrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        if (status != null) sb.append(" [").append(status).append(']');
        return sb.toString();
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div style=\"font-family:monospace\">");
        sb.append("<b>").append(HtmlRenderable.escape(label)).append("</b> ");
        sb.append(String.format(Locale.ROOT, "<progress value=\"%d\" max=\"%d\" style=\"width:40%%\"></progress> %.1f%%", step, Math.max(1, totalSteps), 100 * fraction()));
        sb.append(String.format(Locale.ROOT, "<br>step %d/%d · loss %.4f · lr %.2e · %.0f tok/s · %s", step, totalSteps, loss, learningRate, tokensPerSecond, time(elapsedSeconds)));
        if (!Double.isNaN(etaSeconds()) && step < totalSteps) sb.append(" · eta ").append(time(etaSeconds()));
        lastMetrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " · %s %.4f", HtmlRenderable.escape(k), v)));
        if (status != null) sb.append(" · <b>").append(HtmlRenderable.escape(status)).append("</b>");
        return sb.append("</div>").toString();
    }

    private static String time(double seconds) {
        if (Double.isNaN(seconds)) return "-";
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : String.format(Locale.ROOT, "%.1fs", seconds);
    }

}
