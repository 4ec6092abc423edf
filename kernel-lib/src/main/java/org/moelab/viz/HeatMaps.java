package org.moelab.viz;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;

/**
 * A matrix as a heat map with row and column labels: expert load per layer, tokens per expert × source, task ×
 * expert. Row 0 is drawn at the top, as the matrix is written (XChart puts y index 0 at the bottom, so rows are
 * flipped here).
 *
 * <pre>{@code
 * HeatMapChart chart = HeatMaps.builder("Expert load per layer", load)          // load[layer][expert]
 *         .rowLabels(List.of("layer 0", "layer 1")).columnLabels(List.of("e0", "e1", "e2", "e3"))
 *         .rowTitle("layer").columnTitle("expert").build();
 * }</pre>
 *
 * Colour scale: a sequential light-to-blue ramp from the matrix minimum to its maximum (light = low, so black value
 * labels stay readable); with {@link Builder#diverging()} a blue-white-red ramp centred on zero, symmetric in
 * |value|, for signed matrices (differences, correlations). Both ramps come from ColorBrewer's colour-blind-safe
 * schemes (Blues, RdBu). Values are written in the cells when the matrix has at most {@value #ANNOTATE_UP_TO} cells,
 * unless {@link Builder#annotate(boolean)} says otherwise.
 */
public final class HeatMaps {
    public static final int ANNOTATE_UP_TO = 144;
    private static final String OWNER = "HeatMaps";
    private static final Color[] SEQUENTIAL = {new Color(0xF7FBFF), new Color(0xC6DBEF), new Color(0x6BAED6), new Color(0x2171B5)};
    private static final Color[] DIVERGING = {new Color(0x2166AC), new Color(0x92C5DE), new Color(0xF7F7F7), new Color(0xF4A582), new Color(0xB2182B)};

    private HeatMaps() {}

    /** {@code values[row][column]}; copied. Labels default to the indices 0, 1, 2, ... */
    public static Builder builder(String title, double[][] values) {
        return new Builder(title, values);
    }

    /** Options for one heat map; {@link #build()} validates and returns a styled chart. */
    public static final class Builder {
        private final String title;
        private final double[][] values;
        private List<String> rowLabels;
        private List<String> columnLabels;
        private String rowTitle = "";
        private String columnTitle = "";
        private Boolean annotate;
        private String valuePattern = "0.00";
        private boolean diverging;
        private Double min;
        private Double max;
        private ChartStyle style = ChartStyle.HOUSE;

        private Builder(String title, double[][] values) {
            this.title = Checks.notNull(OWNER, "title", title);
            Checks.notNull(OWNER, "values", values);
            Checks.nonEmpty(OWNER, "values", values.length);
            int columns = Checks.notNull(OWNER, "values[0]", values[0]).length;
            Checks.nonEmpty(OWNER, "values[0]", columns);
            this.values = new double[values.length][];
            for (int r = 0; r < values.length; r++) {
                Checks.notNull(OWNER, "values[" + r + "]", values[r]);
                if (values[r].length != columns) {
                    throw new IllegalArgumentException(OWNER + ": values must be rectangular; row 0 has " + columns + " columns but row " + r + " has " + values[r].length);
                }
                for (double v : values[r]) Checks.finite(OWNER, "every value in row " + r, v);
                this.values[r] = values[r].clone();
            }
        }

        public Builder rowLabels(List<String> labels) {
            this.rowLabels = labels(labels, "rowLabels", values.length);
            return this;
        }

        public Builder columnLabels(List<String> labels) {
            this.columnLabels = labels(labels, "columnLabels", values[0].length);
            return this;
        }

        /** Axis title for the rows (drawn on the y-axis). */
        public Builder rowTitle(String title) {
            this.rowTitle = Checks.notNull(OWNER, "rowTitle", title);
            return this;
        }

        /** Axis title for the columns (drawn on the x-axis). */
        public Builder columnTitle(String title) {
            this.columnTitle = Checks.notNull(OWNER, "columnTitle", title);
            return this;
        }

        /** Force value labels in the cells on or off (default: on when the matrix is small). */
        public Builder annotate(boolean on) {
            this.annotate = on;
            return this;
        }

        /** {@link java.text.DecimalFormat} pattern for cell labels; default "0.00". */
        public Builder valuePattern(String pattern) {
            this.valuePattern = Checks.notNull(OWNER, "valuePattern", pattern);
            return this;
        }

        /** Blue-white-red scale centred on zero, for signed values. */
        public Builder diverging() {
            this.diverging = true;
            return this;
        }

        /** Fix the colour scale's ends (to compare several heat maps on one scale). */
        public Builder range(double min, double max) {
            Checks.finite(OWNER, "range min", min);
            Checks.finite(OWNER, "range max", max);
            if (!(min < max)) throw new IllegalArgumentException(OWNER + ": range min must be < max, got [" + min + ", " + max + "]");
            this.min = min;
            this.max = max;
            return this;
        }

        public Builder style(ChartStyle style) {
            this.style = Checks.notNull(OWNER, "style", style);
            return this;
        }

        public HeatMapChart build() {
            int rows = values.length;
            int columns = values[0].length;
            List<String> rowNames = rowLabels != null ? rowLabels : indices(rows);
            List<String> columnNames = columnLabels != null ? columnLabels : indices(columns);
            List<Number[]> cells = new ArrayList<>(rows * columns);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) cells.add(new Number[] {c, rows - 1 - r, values[r][c]});
            }
            // The (width, height) constructor leaves the heat map styler half-initialised (null locale, blank plot); name the theme.
            HeatMapChart chart = new HeatMapChart(style.width(), style.height(), org.knowm.xchart.style.Styler.ChartTheme.XChart);
            chart.setTitle(title);
            chart.setXAxisTitle(columnTitle);
            chart.setYAxisTitle(rowTitle);
            style.applyAxes(chart.getStyler());
            var styler = chart.getStyler();
            styler.setPlotGridLinesVisible(false);
            styler.setLegendVisible(true);
            styler.setRangeColors(diverging ? DIVERGING : SEQUENTIAL);
            styler.setShowValue(annotate != null ? annotate : rows * columns <= ANNOTATE_UP_TO);
            styler.setHeatMapValueDecimalPattern(valuePattern);
            styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            styler.setValueFontColor(new Color(0x111111));
            styler.setDrawBorder(true);
            chart.addSeries(title.isBlank() ? "values" : title, columnNames, reversed(rowNames), cells);
            double[] scale = scale();
            styler.setMin(scale[0]);
            styler.setMax(scale[1]);
            return chart;
        }

        private double[] scale() {
            if (min != null) return new double[] {min, max};
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] row : values) {
                for (double v : row) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (diverging) {
                double bound = Math.max(Math.max(Math.abs(lo), Math.abs(hi)), 1e-12);
                return new double[] {-bound, bound};
            }
            // A constant matrix would give min == max and a divide by zero in the colour lookup.
            return lo < hi ? new double[] {lo, hi} : new double[] {lo - 0.5, hi + 0.5};
        }

        private static List<String> labels(List<String> labels, String parameter, int expected) {
            Checks.notNull(OWNER, parameter, labels);
            if (labels.size() != expected) {
                throw new IllegalArgumentException(OWNER + ": " + parameter + " has " + labels.size() + " labels but values has " + expected
                        + (parameter.startsWith("row") ? " rows" : " columns"));
            }
            for (String label : labels) Checks.notNull(OWNER, "every label in " + parameter, label);
            return List.copyOf(labels);
        }

        private static List<String> indices(int n) {
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) names.add(Integer.toString(i));
            return names;
        }

        private static List<String> reversed(List<String> names) {
            List<String> copy = new ArrayList<>(names);
            java.util.Collections.reverse(copy);
            return copy;
        }
    }
}
