package org.moelab.viz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A metric against a discrete parameter for several arms: validation BPC against k ∈ {1, 2, 4, 8}, accuracy against
 * the number of experts. An XChart {@link CategoryChart}, so the parameter values are evenly spaced labels (k = 1, 2,
 * 4, 8 reads as a doubling sweep, not as a squashed numeric axis).
 *
 * <pre>{@code
 * CategoryChart chart = Sweeps.builder("Self-slimming").parameter("k (active experts)", List.of(1, 2, 4, 8))
 *         .yTitle("validation BPC", Better.LOWER).add("SMoE-Dropout", bpcByK).add("learned", new double[] {2.9, 2.4, 2.5, 2.6})
 *         .reference("dense", 2.35).build();                    // lines with markers; .bars() for grouped bars
 * }</pre>
 *
 * A missing value (NaN, or a parameter value absent from the map) leaves a gap. Optional error bars (e.g. the sd over
 * seeds) come from {@link Builder#add(String, double[], double[])}. A reference is a dashed grey line across all
 * parameter values, also in the bar variant.
 */
public final class Sweeps {
    private static final String OWNER = "Sweeps";

    private Sweeps() {}

    public static Builder builder(String title) {
        return new Builder(title);
    }

    private record Arm(String name, List<Double> values, List<Double> errors) {}

    /** Collects the parameter values and arms; {@link #build()} returns a styled chart. */
    public static final class Builder {
        private final String title;
        private final List<Arm> arms = new ArrayList<>();
        private final List<Arm> references = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private String parameterName;
        private List<String> labels;
        private List<?> parameterValues;
        private String yTitle;
        private boolean bars;
        private boolean logY;
        private ChartStyle style = ChartStyle.HOUSE;

        private Builder(String title) {
            this.title = Checks.notNull(OWNER, "title", title);
        }

        /** The swept parameter's name (the x-axis title) and its values, in display order. Call before add(...). */
        public Builder parameter(String name, List<?> values) {
            this.parameterName = Checks.name(OWNER, "parameter name", name);
            Checks.notNull(OWNER, "parameter values", values);
            Checks.nonEmpty(OWNER, "parameter values", values.size());
            List<String> text = new ArrayList<>();
            for (Object v : values) text.add(String.valueOf(Checks.notNull(OWNER, "every parameter value", v)));
            if (new HashSet<>(text).size() != text.size()) throw new IllegalArgumentException(OWNER + ": parameter values must be distinct, got " + text);
            this.parameterValues = List.copyOf(values);
            this.labels = List.copyOf(text);
            return this;
        }

        /** The value axis's title and which way the metric improves (appended as ↑ / ↓). */
        public Builder yTitle(String yTitle, Better better) {
            Checks.notNull(OWNER, "better", better);
            this.yTitle = better.label(Checks.notNull(OWNER, "yTitle", yTitle));
            return this;
        }

        /** One arm: a value per parameter value, in the order given to {@link #parameter}. NaN = missing. */
        public Builder add(String name, double[] values) {
            return add(name, values, null);
        }

        /** One arm with error bars (same length as values; NaN = no bar). */
        public Builder add(String name, double[] values, double[] errors) {
            Checks.name(OWNER, "name", name);
            Checks.notNull(OWNER, "values", values);
            requireParameter();
            Checks.sameLength(OWNER, name, "values", values.length, "parameter values", labels.size());
            if (errors != null) Checks.sameLength(OWNER, name, "errors", errors.length, "values", values.length);
            Checks.unique(OWNER, "series name", name, names);
            arms.add(new Arm(name, boxed(values), errors == null ? null : boxed(errors)));
            return this;
        }

        /** One arm from a map parameter value → metric (e.g. BPC by k); parameter values it lacks are gaps. */
        public Builder add(String name, Map<?, ? extends Number> byParameter) {
            Checks.notNull(OWNER, "values", byParameter);
            requireParameter();
            double[] values = new double[labels.size()];
            for (int i = 0; i < values.length; i++) {
                Number v = byParameter.get(parameterValues.get(i));
                values[i] = v == null ? Double.NaN : v.doubleValue();
            }
            for (Object key : byParameter.keySet()) {
                if (!parameterValues.contains(key)) {
                    throw new IllegalArgumentException(OWNER + ": series '" + name + "' has a value for " + parameterName + " = " + key
                            + ", which is not one of the parameter values " + labels);
                }
            }
            return add(name, values);
        }

        /** A dashed horizontal line, e.g. the dense baseline's value. */
        public Builder reference(String name, double value) {
            Checks.name(OWNER, "reference name", name);
            Checks.finite(OWNER, "reference '" + name + "'", value);
            requireParameter();
            Checks.unique(OWNER, "series name", name, names);
            references.add(new Arm(name, Collections.nCopies(labels.size(), value), null));
            return this;
        }

        /** Grouped bars instead of lines with markers. */
        public Builder bars() {
            this.bars = true;
            return this;
        }

        public Builder logY() {
            this.logY = true;
            return this;
        }

        public Builder style(ChartStyle style) {
            this.style = Checks.notNull(OWNER, "style", style);
            return this;
        }

        public CategoryChart build() {
            requireParameter();
            Checks.atLeastOne(OWNER, "series (add(name, values))", arms);
            Checks.yTitle(OWNER, yTitle);
            CategoryChart chart = new CategoryChart(style.width(), style.height());
            chart.setTitle(title);
            chart.setXAxisTitle(parameterName);
            chart.setYAxisTitle(yTitle);
            style.applyAxes(chart.getStyler());
            chart.getStyler().setYAxisLogarithmic(logY);
            chart.getStyler().setErrorBarsColorSeriesColor(true);
            chart.getStyler().setPlotGridVerticalLinesVisible(false);
            // Lines: overlapped puts every point on its tick (not in a bar slot), and a zoomed y-range keeps a BPC
            // difference of 0.05 visible. Bars keep their zero baseline, where bar length is the honest encoding.
            chart.getStyler().setOverlapped(!bars);
            if (!bars && !logY) zoomY(chart);
            chart.getStyler().setAvailableSpaceFill(0.7);
            List<java.awt.Color> colors = style.colors(arms.stream().map(Arm::name).toList());
            for (int i = 0; i < arms.size(); i++) {
                Arm arm = arms.get(i);
                CategorySeries series = arm.errors() == null ? chart.addSeries(arm.name(), labels, arm.values())
                        : chart.addSeries(arm.name(), labels, arm.values(), arm.errors());
                series.setFillColor(colors.get(i));
                series.setLineColor(colors.get(i));
                series.setMarkerColor(colors.get(i));
                if (bars) {
                    series.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Bar);
                } else {
                    series.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
                    series.setLineStyle(ChartStyle.SERIES_STROKE);
                    series.setMarker(SeriesMarkers.CIRCLE);
                }
            }
            for (Arm reference : references) {
                CategorySeries line = chart.addSeries(reference.name(), labels, reference.values());
                line.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
                line.setLineColor(ChartStyle.REFERENCE_COLOR);
                line.setLineStyle(ChartStyle.REFERENCE_STROKE);
                line.setMarker(SeriesMarkers.NONE);
            }
            return chart;
        }

        private void zoomY(CategoryChart chart) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (List<Arm> group : List.of(arms, references)) {
                for (Arm arm : group) {
                    for (int i = 0; i < arm.values().size(); i++) {
                        Double v = arm.values().get(i);
                        if (v == null || !Double.isFinite(v)) continue;
                        Double e = arm.errors() == null ? null : arm.errors().get(i);
                        double spread = e == null || !Double.isFinite(e) ? 0 : Math.abs(e);
                        lo = Math.min(lo, v - spread);
                        hi = Math.max(hi, v + spread);
                    }
                }
            }
            if (!(lo <= hi)) return;
            double margin = hi > lo ? 0.08 * (hi - lo) : Math.max(0.05 * Math.abs(hi), 1e-3);
            chart.getStyler().setYAxisMin(lo - margin);
            chart.getStyler().setYAxisMax(hi + margin);
        }

        private void requireParameter() {
            if (labels == null) throw new IllegalArgumentException(OWNER + ": call parameter(name, values) first");
        }

        private static List<Double> boxed(double[] values) {
            Double[] boxed = new Double[values.length];
            for (int i = 0; i < values.length; i++) boxed[i] = Double.isNaN(values[i]) ? null : values[i];
            return Arrays.asList(boxed);
        }
    }
}
