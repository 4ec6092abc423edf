package org.moelab.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.viz.ChartExport;
import org.moelab.viz.HtmlRenderable;

/**
 * Everything one experiment run produced, in one value: tables, charts and the claim verdict. Renders as one HTML
 * block (charts embedded as PNG) so {@code %moe reproduce} shows the whole story with a single display, and a
 * notebook can take the pieces apart.
 */
public final class ExperimentReport implements HtmlRenderable {
    private final String title;
    private final Map<String, ResultsTable> tables;
    private final Map<String, Chart<?, ?>> charts;
    private final Verdict verdict;

    public ExperimentReport(String title, Map<String, ResultsTable> tables, Map<String, Chart<?, ?>> charts, Verdict verdict) {
        this.title = title;
        this.tables = new LinkedHashMap<>(tables);
        this.charts = new LinkedHashMap<>(charts);
        this.verdict = verdict;
    }

    public String title() {
        return title;
    }

    public ResultsTable table(String name) {
        ResultsTable t = tables.get(name);
        if (t == null) throw new IllegalArgumentException("ExperimentReport: no table '" + name + "'; tables: " + tables.keySet());
        return t;
    }

    public Chart<?, ?> chart(String name) {
        Chart<?, ?> c = charts.get(name);
        if (c == null) throw new IllegalArgumentException("ExperimentReport: no chart '" + name + "'; charts: " + charts.keySet());
        return c;
    }

    public List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }

    public List<String> chartNames() {
        return new ArrayList<>(charts.keySet());
    }

    /** The claim verdict, or null for a report that checks no claim (a %%moe run). */
    public Verdict verdict() {
        return verdict;
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div class=\"moelab-report\"><h3>").append(HtmlRenderable.escape(title)).append("</h3>");
        tables.forEach((name, t) -> sb.append(t.toHtml()));
        for (Chart<?, ?> chart : charts.values()) {
            sb.append("<img style=\"max-width:100%\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(ChartExport.toPng(chart))).append("\"/>");
        }
        if (verdict != null) sb.append(verdict.toHtml());
        return sb.append("</div>").toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(title).append('\n');
        tables.values().forEach(t -> sb.append(t).append('\n'));
        return verdict == null ? sb.toString() : sb.append(verdict).toString();
    }

}
