package org.moelab.report;

import org.moelab.viz.HtmlRenderable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The four renderings of a {@link ResultsTable}; kept apart so the table class stays about data. */
final class TableRendering {
    private static final String BEST_STYLE = "font-weight:bold;background:#e7f3ea";

    private TableRendering() {}

    static String html(ResultsTable table) {
        Map<String, List<Integer>> best = table.bestRows();
        boolean[] numeric = numericColumns(table);
        StringBuilder html = new StringBuilder("<table class=\"moelab-results\" style=\"border-collapse:collapse\">");
        if (table.caption() != null) html.append("<caption style=\"text-align:left;font-weight:bold\">").append(HtmlRenderable.escape(table.caption())).append("</caption>");
        html.append("<thead><tr>");
        for (int c = 0; c < table.columns().size(); c++) {
            html.append("<th style=\"text-align:").append(numeric[c] ? "right" : "left").append(";padding:2px 8px\">")
                    .append(HtmlRenderable.escape(table.columns().get(c))).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            html.append("<tr>");
            for (int c = 0; c < table.columns().size(); c++) {
                String style = "text-align:" + (numeric[c] ? "right" : "left") + ";padding:2px 8px";
                if (isBest(best, table.columns().get(c), r)) style += ";" + BEST_STYLE;
                html.append("<td style=\"").append(style).append("\">").append(HtmlRenderable.escape(CellFormat.display(table.row(r).get(c)))).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    static String markdown(ResultsTable table) {
        Map<String, List<Integer>> best = table.bestRows();
        boolean[] numeric = numericColumns(table);
        StringBuilder md = new StringBuilder();
        if (table.caption() != null) md.append("**").append(escapeMarkdown(table.caption())).append("**\n\n");
        md.append('|');
        for (String column : table.columns()) md.append(' ').append(escapeMarkdown(column)).append(" |");
        md.append("\n|");
        for (boolean isNumber : numeric) md.append(isNumber ? " ---: |" : " :--- |");
        md.append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            md.append('|');
            for (int c = 0; c < table.columns().size(); c++) {
                String cell = escapeMarkdown(CellFormat.display(table.row(r).get(c)));
                if (isBest(best, table.columns().get(c), r) && !cell.isEmpty()) cell = "**" + cell + "**";
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    static String csv(ResultsTable table) {
        boolean[] split = new boolean[table.columns().size()];
        for (int c = 0; c < split.length; c++) {
            for (int r = 0; r < table.rowCount(); r++) split[c] |= table.row(r).get(c) instanceof MeanSd;
        }
        List<String> header = new ArrayList<>();
        for (int c = 0; c < split.length; c++) {
            header.add(table.columns().get(c));
            if (split[c]) header.add(table.columns().get(c) + "_sd");
        }
        StringBuilder csv = new StringBuilder();
        appendCsvLine(csv, header);
        for (int r = 0; r < table.rowCount(); r++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < split.length; c++) {
                Object v = table.row(r).get(c);
                if (split[c]) {
                    cells.add(v == null ? "" : Double.toString(((MeanSd) v).mean()));
                    cells.add(v == null ? "" : Double.toString(((MeanSd) v).sd()));
                } else {
                    cells.add(CellFormat.exact(v));
                }
            }
            appendCsvLine(csv, cells);
        }
        return csv.toString();
    }

    static String text(ResultsTable table) {
        int columns = table.columns().size();
        boolean[] numeric = numericColumns(table);
        String[][] cells = new String[table.rowCount() + 1][columns];
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) cells[0][c] = table.columns().get(c);
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < columns; c++) cells[r + 1][c] = CellFormat.display(table.row(r).get(c)).replace('\n', ' ');
        }
        for (String[] row : cells) for (int c = 0; c < columns; c++) widths[c] = Math.max(widths[c], row[c].length());
        StringBuilder text = new StringBuilder();
        if (table.caption() != null) text.append(table.caption()).append('\n');
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < columns; c++) {
                if (c > 0) text.append("  ");
                text.append(numeric[c] ? pad(cells[r][c], widths[c], true) : pad(cells[r][c], widths[c], false));
            }
            text.setLength(stripTrailing(text));
            text.append('\n');
            if (r == 0) {
                for (int c = 0; c < columns; c++) text.append(c > 0 ? "  " : "").append("-".repeat(widths[c]));
                text.append('\n');
            }
        }
        return text.toString();
    }


    /** A pipe would end the cell and a newline the row. */
    static String escapeMarkdown(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ');
    }

    private static void appendCsvLine(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) csv.append(',');
            csv.append(quoteCsv(cells.get(i)));
        }
        csv.append("\r\n");
    }

    /** RFC 4180: quote a field holding a comma, quote or line break (and leading/trailing spaces, which readers trim). */
    static String quoteCsv(String field) {
        boolean quote = field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                || (!field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' '));
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static boolean[] numericColumns(ResultsTable table) {
        boolean[] numeric = new boolean[table.columns().size()];
        for (int c = 0; c < numeric.length; c++) {
            boolean any = false;
            boolean all = true;
            for (int r = 0; r < table.rowCount(); r++) {
                Object v = table.row(r).get(c);
                if (v == null) continue;
                any = true;
                all &= v instanceof Number;
            }
            numeric[c] = any && all;
        }
        return numeric;
    }

    private static boolean isBest(Map<String, List<Integer>> best, String column, int row) {
        List<Integer> rows = best.get(column);
        return rows != null && rows.contains(row);
    }

    private static String pad(String text, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - text.length()));
        return right ? fill + text : text + fill;
    }

    private static int stripTrailing(StringBuilder text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') end--;
        return end;
    }
}
