package org.moelab.magics;

import org.moelab.lab.LabEnvironment;
import org.moelab.viz.HtmlRenderable;

/** {@link LabEnvironment} as an HTML table for the notebook, aligned text everywhere else. */
public final class EnvironmentTable implements HtmlRenderable {
    private final LabEnvironment environment;

    public EnvironmentTable(LabEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public String toHtml() {
        StringBuilder html = new StringBuilder("<table class=\"moelab-env\"><tbody>");
        environment.facts().forEach((key, value) -> html.append("<tr><th style=\"text-align:left\">")
                .append(HtmlRenderable.escape(key)).append("</th><td style=\"text-align:left\">")
                .append(HtmlRenderable.escape(value)).append("</td></tr>"));
        return html.append("</tbody></table>").toString();
    }

    @Override
    public String toString() {
        return environment.toString();
    }

}
