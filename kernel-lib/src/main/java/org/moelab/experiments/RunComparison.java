package org.moelab.experiments;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.train.Run;
import org.moelab.viz.Better;
import org.moelab.viz.ChartExport;
import org.moelab.viz.Curves;
import org.moelab.viz.HtmlRenderable;

/**
 * {@code %moe compare run1 run2 …}: several {@link MoeRun}s side by side — their training-loss curves overlaid
 * (one colour per run name, as in every chart of the kernel), the settings in which they differ, and each run's
 * main metric table.
 *
 * @param names the runs' names (their {@code --as} variables), in the order given
 * @param runs  the runs, one per name
 */
public record RunComparison(List<String> names, List<MoeRun> runs) implements HtmlRenderable {
    public RunComparison {
        if (names.size() != runs.size()) throw new IllegalArgumentException("RunComparison: " + names.size() + " names for " + runs.size() + " runs");
        if (runs.size() < 2) throw new IllegalArgumentException("%moe compare needs at least two runs, got " + runs.size());
        if (new LinkedHashSet<>(names).size() != names.size()) throw new IllegalArgumentException("%moe compare: a run is named twice: " + names);
        names = List.copyOf(names);
        runs = List.copyOf(runs);
    }

    /** The runs' training losses (the last training run of each), overlaid; null when no run kept a training history. */
    public XYChart lossCurves() {
        Curves.Builder b = Curves.builder("Training loss").xTitle("step").yTitle("loss", Better.LOWER).smoothing(0.9);
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            List<Run> trained = runs.get(i).runs();
            if (trained.isEmpty() || trained.get(trained.size() - 1).history().losses().length == 0) continue;
            Run r = trained.get(trained.size() - 1);
            b.add(names.get(i), r.history().stepNumbers(), r.history().losses());
            any = true;
        }
        return any ? b.build() : null;
    }

    /** The configuration keys whose values differ between the runs (a key a run lacks shows as "—"), one row per key. */
    public ResultsTable differences() {
        Set<String> keys = new LinkedHashSet<>();
        for (MoeRun r : runs) keys.addAll(r.config().keySet());
        List<String> columns = new ArrayList<>();
        columns.add("setting");
        columns.addAll(names);
        ResultsTable.Builder t = ResultsTable.builder(columns);
        for (String k : keys) {
            List<Object> row = new ArrayList<>();
            row.add(k);
            Set<String> values = new LinkedHashSet<>();
            for (MoeRun r : runs) {
                String v = r.config().getOrDefault(k, "—");
                row.add(v);
                values.add(v);
            }
            if (values.size() > 1) t.row(row.toArray());
        }
        return t.caption("Settings that differ").build();
    }

    @Override
    public String toHtml() {
        StringBuilder h = new StringBuilder("<div class=\"moelab-compare\"><h4>%moe compare ").append(String.join(" · ", names)).append("</h4>");
        XYChart curves = lossCurves();
        if (curves != null) h.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(ChartExport.toPng(curves))).append("\"/>");
        h.append(differences().toHtml());
        h.append("<div style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\">");
        Map<String, ResultsTable> main = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            ExperimentReport report = runs.get(i).report();
            if (report.tableNames().isEmpty()) continue;
            main.put(names.get(i), report.table(report.tableNames().get(0)));
        }
        main.forEach((name, table) -> h.append("<div class=\"run\"><b>").append(name).append("</b>").append(table.toHtml()).append("</div>"));
        return h.append("</div></div>").toString();
    }

    @Override
    public String toString() {
        return "RunComparison" + names;
    }
}
