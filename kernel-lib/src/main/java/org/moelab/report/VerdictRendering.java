package org.moelab.report;

import org.moelab.viz.HtmlRenderable;
import java.util.Map;

/** {@link Verdict} as HTML (a coloured badge, the rule, a table of numbers, nested parts) and as indented text. */
final class VerdictRendering {
    private static final String HOLDS_STYLE = "background:#1a7f37;color:white;padding:1px 8px;border-radius:4px;font-weight:bold";
    private static final String FAILS_STYLE = "background:#cf222e;color:white;padding:1px 8px;border-radius:4px;font-weight:bold";

    private VerdictRendering() {}

    static String badge(boolean holds) {
        return holds ? "HOLDS" : "DOES NOT HOLD";
    }

    static String html(Verdict verdict) {
        StringBuilder html = new StringBuilder("<div class=\"moelab-verdict\" style=\"margin:4px 0\">");
        html.append("<span style=\"").append(verdict.holds() ? HOLDS_STYLE : FAILS_STYLE).append("\">").append(badge(verdict.holds())).append("</span> ")
                .append("<b>").append(HtmlRenderable.escape(verdict.claim())).append("</b>")
                .append("<div style=\"margin:2px 0 2px 0\">rule: <code>").append(HtmlRenderable.escape(verdict.rule())).append("</code></div>");
        if (!verdict.measured().isEmpty()) {
            html.append("<table style=\"border-collapse:collapse\"><tbody>");
            for (Map.Entry<String, Double> e : verdict.measured().entrySet()) {
                html.append("<tr><td style=\"text-align:left;padding:1px 8px\">").append(HtmlRenderable.escape(e.getKey()))
                        .append("</td><td style=\"text-align:right;padding:1px 8px\">").append(CellFormat.number(e.getValue())).append("</td></tr>");
            }
            html.append("</tbody></table>");
        }
        if (!verdict.parts().isEmpty()) {
            html.append("<div style=\"margin-left:1.5em;border-left:2px solid #ddd;padding-left:8px\">");
            for (Verdict part : verdict.parts()) html.append(html(part));
            html.append("</div>");
        }
        return html.append("</div>").toString();
    }

    static String text(Verdict verdict, String indent) {
        StringBuilder text = new StringBuilder();
        text.append(indent).append('[').append(badge(verdict.holds())).append("] ").append(verdict.claim()).append('\n');
        text.append(indent).append("  rule: ").append(verdict.rule()).append('\n');
        int width = verdict.measured().keySet().stream().mapToInt(String::length).max().orElse(0);
        verdict.measured().forEach((name, value) ->
                text.append(indent).append("  ").append(name).append(" ".repeat(width - name.length())).append(" = ").append(CellFormat.number(value)).append('\n'));
        for (Verdict part : verdict.parts()) text.append(text(part, indent + "  "));
        return text.toString();
    }
}
