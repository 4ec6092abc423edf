package org.moelab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.moelab.report.ResultsTable;
import org.moelab.viz.HtmlRenderable;

/**
 * A finished sweep: every point's row (metrics, or the failure message), the summary per arm × configuration × metric
 * (n, failed, mean, sd, 95% t-interval), the paper's verdict decided from them ({@link HeadlineVerdict}), the values the tuning protocol chose (if it ran), and how many points this
 * run trained (the rest came from earlier runs' stored results). Written under the sweep's folder as
 * {@code summary.md}, {@code summary.csv} and {@code points.csv}; renders as HTML in a notebook.
 */
public final class SweepReport implements HtmlRenderable {
    private final String paper, title;
    private final List<PointResult> points;
    private final Map<String, String> chosen;
    private final ResultsTable tuningSummary;
    private final int computed, tasksStarted;
    private final Path folder;

    SweepReport(String paper, String title, List<PointResult> points, Map<String, String> chosen, ResultsTable tuningSummary, int computed, int tasksStarted, Path folder) {
        this.paper = paper;
        this.title = title;
        this.points = List.copyOf(points);
        this.chosen = new LinkedHashMap<>(chosen);
        this.tuningSummary = tuningSummary;
        this.computed = computed;
        this.tasksStarted = tasksStarted;
        this.folder = folder;
    }

    /** Every point's result, in plan order (configuration, seed, arm). */
    public List<PointResult> points() {
        return points;
    }

    /** Per arm, the value the tuning protocol chose (empty without {@code --tune}). */
    public Map<String, String> chosen() {
        return chosen;
    }

    /** The tuning seeds' summary the choice was made from, or null without {@code --tune}. */
    public ResultsTable tuningSummary() {
        return tuningSummary;
    }

    /** Points trained by this run (not read back from earlier runs). */
    public int computed() {
        return computed;
    }

    /** Spark tasks this run started, retries included. */
    public int tasksStarted() {
        return tasksStarted;
    }

    /** The sweep's folder: {@code <out>/<spec hash>/}. */
    public Path folder() {
        return folder;
    }

    /** n, failed, mean, sd and the 95% t-interval of every metric, per arm and configuration. */
    public ResultsTable summary() {
        return summarise(points).caption(title + ": mean, sd and 95% t-interval over seeds");
    }

    /** The paper's headline comparison decided from this sweep's points ({@link HeadlineVerdict}). */
    public ResultsTable verdict() {
        return HeadlineVerdict.of(paper, points, !chosen.isEmpty());
    }

    /** The paper's pre-registered second-round rules decided from this sweep's points ({@link PlanVerdicts}); no rows without a plan. */
    public ResultsTable planVerdicts() {
        return PlanVerdicts.of(paper, points, !chosen.isEmpty());
    }

    /** One row per point: arm, configuration, seed, status, every metric, the failure message. */
    public ResultsTable pointRows() {
        return rows(points, title + ": every point");
    }

    /** One row per point (arm, configuration, seed, status, every metric, the failure message) under {@code caption}. */
    static ResultsTable rows(List<PointResult> points, String caption) {
        Set<String> metrics = metricNames(points);
        List<String> columns = new ArrayList<>(List.of("arm", "configuration", "seed", "status"));
        columns.addAll(metrics);
        columns.add("message");
        ResultsTable.Builder b = ResultsTable.builder(columns);
        for (PointResult r : points) {
            List<Object> row = new ArrayList<>(List.of(r.point().arm(), r.point().configuration(), r.point().seed(), r.succeeded() ? "ok" : "failed"));
            for (String m : metrics) row.add(r.metrics().get(m));
            row.add(r.succeeded() ? "" : r.failure());
            b.row(row);
        }
        return b.caption(caption).build();
    }

    static ResultsTable summarise(List<PointResult> points) {
        Set<String> metrics = metricNames(points);
        Map<List<String>, List<PointResult>> groups = new LinkedHashMap<>();
        for (PointResult r : points) groups.computeIfAbsent(List.of(r.point().arm(), r.point().configuration()), k -> new ArrayList<>()).add(r);
        ResultsTable.Builder b = ResultsTable.builder("arm", "configuration", "metric", "n", "failed", "mean", "sd", "95% CI low", "95% CI high");
        groups.forEach((key, group) -> {
            int failed = (int) group.stream().filter(r -> !r.succeeded()).count();
            int rows = 0;
            for (String m : metrics) {
                double[] xs = group.stream().filter(PointResult::succeeded).map(r -> r.metrics().get(m)).filter(v -> v != null)
                        .mapToDouble(Double::doubleValue).toArray();
                if (xs.length == 0) continue; // a metric this arm does not have (a column the arm leaves empty)
                rows++;
                double mean = Stats.mean(xs);
                Double sd = xs.length < 2 ? null : Stats.sd(xs);
                Double half = xs.length < 2 ? null : Stats.ci95HalfWidth(xs);
                b.row(key.get(0), key.get(1), m, xs.length, failed, mean, sd, half == null ? null : mean - half, half == null ? null : mean + half);
            }
            if (rows == 0) b.row(key.get(0), key.get(1), "", 0, failed, null, null, null, null);
        });
        return b.build();
    }

    private static Set<String> metricNames(List<PointResult> points) {
        Set<String> names = new LinkedHashSet<>();
        for (PointResult r : points) names.addAll(r.metrics().keySet());
        return names;
    }

    /** Markdown: the tuning choice, the summary, the verdict, then every point. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
        if (!chosen.isEmpty()) {
            sb.append("Tuned per arm (fair protocol: chosen on the tuning seeds, reported on fresh seeds): ").append(chosen).append("\n\n");
        }
        sb.append(summary().toMarkdown()).append("\n\n").append(verdict().toMarkdown()).append("\n\n");
        if (planVerdicts().rowCount() > 0) sb.append(planVerdicts().toMarkdown()).append("\n\n");
        sb.append(pointRows().toMarkdown()).append('\n');
        if (tuningSummary != null) sb.append('\n').append(tuningSummary.toMarkdown()).append('\n');
        return sb.toString();
    }

    /** Writes summary.md, summary.csv and points.csv into the sweep's folder (atomically). */
    public void write() {
        ResultStore.writeAtomically(folder.resolve("summary.md"), toMarkdown());
        ResultStore.writeAtomically(folder.resolve("summary.csv"), summary().toCsv());
        ResultStore.writeAtomically(folder.resolve("points.csv"), pointRows().toCsv());
        if (planVerdicts().rowCount() > 0) ResultStore.writeAtomically(folder.resolve("plan-verdicts.csv"), planVerdicts().toCsv());
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div class=\"moelab-sweep\">");
        if (!chosen.isEmpty()) sb.append("<p>Tuned per arm: ").append(HtmlRenderable.escape(chosen.toString())).append("</p>");
        sb.append(summary().toHtml()).append(verdict().toHtml());
        if (planVerdicts().rowCount() > 0) sb.append(planVerdicts().toHtml());
        sb.append(pointRows().toHtml());
        if (tuningSummary != null) sb.append(tuningSummary.toHtml());
        return sb.append("</div>").toString();
    }

    @Override
    public String toString() {
        return toMarkdown();
    }

}
