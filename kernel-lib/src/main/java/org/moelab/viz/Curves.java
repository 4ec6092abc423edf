package org.moelab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss or metric curves of several named arms against steps, FLOPs, tokens or wall time, as an XChart
 * {@link XYChart} (the kernel renders it inline; tests read its series).
 *
 * <pre>{@code
 * XYChart chart = Curves.builder("Training loss").xTitle("step").yTitle("loss (nats)", Better.LOWER)
 *         .add("dense", steps, denseLoss).add("SMoE-Dropout", steps, smoeLoss)
 *         .smoothing(0.9).reference("target", 1.5).logY().build();
 * }</pre>
 *
 * Smoothing is the debiased EMA of {@link Smoothing#ema}; with {@link Builder#showRaw()} the raw values are drawn
 * faintly underneath, as series named {@code "<arm> (raw)"} that stay out of the legend. A reference line is a
 * dashed grey horizontal series spanning the x-range of the arms. The y title says which way is better
 * ({@link Builder#yTitle(String, Better)}); x ticks fall on round numbers, 1, 2 or 5 × 10^k apart (0, 200, 400, …),
 * even for evenly spaced steps, where XChart would otherwise put a tick on every n-th data point (0, 86, 172, …); and
 * an x axis of whole numbers (steps, tokens, context lengths) never ticks between them (no "2.5" steps).
 */
public final class Curves {
    private static final String OWNER = "Curves";
    /**
     * Tick labels of an axis of whole numbers. XChart retries with a wider tick spacing while two tick labels read the
     * same, so with this pattern a spacing of 0.5 (labels "0", "0", "1", "2", "2") is refused and ticks land on whole
     * numbers.
     */
    private static final String WHOLE_NUMBERS = "#,##0";

    private Curves() {}

    public static Builder builder(String title) {
        return new Builder(title);
    }

    private record Arm(String name, double[] x, double[] y) {}

    private record Reference(String name, double y) {}

    /** Collects arms and options; {@link #build()} validates everything and returns a styled chart. */
    public static final class Builder {
        private final String title;
        private final List<Arm> arms = new ArrayList<>();
        private final List<Reference> references = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private String xTitle = "step";
        private String yTitle;
        private boolean logY;
        private double smoothing;
        private boolean showRaw;
        private ChartStyle style = ChartStyle.HOUSE;

        private Builder(String title) {
            this.title = Checks.notNull(OWNER, "title", title);
        }

        public Builder xTitle(String xTitle) {
            this.xTitle = Checks.notNull(OWNER, "xTitle", xTitle);
            return this;
        }

        /** The value axis's title and which way the metric improves (appended as ↑ / ↓). */
        public Builder yTitle(String yTitle, Better better) {
            Checks.notNull(OWNER, "better", better);
            this.yTitle = better.label(Checks.notNull(OWNER, "yTitle", yTitle));
            return this;
        }

        /** One arm's curve; x and y are copied. */
        public Builder add(String name, double[] x, double[] y) {
            Checks.name(OWNER, "name", name);
            Checks.notNull(OWNER, "x", x);
            Checks.notNull(OWNER, "y", y);
            Checks.sameLength(OWNER, name, "x", x.length, "y", y.length);
            Checks.nonEmpty(OWNER, "y of series '" + name + "'", y.length);
            for (double v : x) Checks.finite(OWNER, "every x of series '" + name + "'", v);
            Checks.unique(OWNER, "series name", name, names);
            arms.add(new Arm(name, x.clone(), y.clone()));
            return this;
        }

        /** One arm's curve against its index 0, 1, 2, ... */
        public Builder add(String name, double[] y) {
            Checks.notNull(OWNER, "y", y);
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) x[i] = i;
            return add(name, x, y);
        }

        /** A dashed horizontal line at {@code y}, e.g. the dense model's final loss or a target. */
        public Builder reference(String name, double y) {
            Checks.name(OWNER, "reference name", name);
            Checks.finite(OWNER, "reference '" + name + "'", y);
            Checks.unique(OWNER, "series name", name, names);
            references.add(new Reference(name, y));
            return this;
        }

        public Builder logY() {
            this.logY = true;
            return this;
        }

        /** EMA weight in [0, 1); 0 turns smoothing off. See {@link Smoothing#ema}. */
        public Builder smoothing(double weight) {
            if (!(weight >= 0 && weight < 1)) throw new IllegalArgumentException(OWNER + ": smoothing must be in [0, 1), got " + weight);
            this.smoothing = weight;
            return this;
        }

        /** With smoothing on, also draw the raw values faintly behind each smoothed curve. */
        public Builder showRaw() {
            this.showRaw = true;
            return this;
        }

        public Builder style(ChartStyle style) {
            this.style = Checks.notNull(OWNER, "style", style);
            return this;
        }

        public XYChart build() {
            Checks.atLeastOne(OWNER, "series (add(name, x, y))", arms);
            Checks.yTitle(OWNER, yTitle);
            if (logY) requirePositive();
            XYChart chart = new XYChart(style.width(), style.height());
            chart.setTitle(title);
            chart.setXAxisTitle(xTitle);
            chart.setYAxisTitle(yTitle);
            style.applyAxes(chart.getStyler());
            chart.getStyler().setYAxisLogarithmic(logY);
            if (wholeNumberX()) chart.getStyler().setXAxisDecimalPattern(WHOLE_NUMBERS);
            boolean smoothed = smoothing > 0;
            List<Color> colors = style.colors(arms.stream().map(Arm::name).toList());
            for (int i = 0; i < arms.size(); i++) {
                Arm arm = arms.get(i);
                Color color = colors.get(i);
                if (smoothed && showRaw) {
                    XYSeries raw = chart.addSeries(arm.name() + " (raw)", arm.x(), arm.y());
                    raw.setMarker(SeriesMarkers.NONE);
                    raw.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 70));
                    raw.setLineStyle(new BasicStroke(1f));
                    raw.setShowInLegend(false);
                }
                double[] y = smoothed ? Smoothing.ema(arm.y(), smoothing) : arm.y();
                XYSeries series = chart.addSeries(arm.name(), arm.x(), y);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(color);
                series.setLineStyle(ChartStyle.SERIES_STROKE);
            }
            addReferences(chart);
            addRoundTickAnchor(chart);
            return chart;
        }

        /**
         * XChart 3.8 puts x ticks on data points (every n-th step: 0, 86, 172, …) when the sorted set of all x values
         * is evenly spaced, and on round numbers otherwise. An invisible series with one x value between the first
         * two of the grid (at a y inside the data) turns the round-number ticks back on; it changes neither axis
         * range and stays out of the legend.
         */
        private void addRoundTickAnchor(XYChart chart) {
            for (Arm arm : arms) {
                if (arm.x().length < 2 || arm.x()[1] == arm.x()[0]) continue;
                double x = (arm.x()[0] + arm.x()[1]) / 2, y = Double.NaN;
                for (double v : arm.y()) if (Double.isFinite(v) && (!logY || v > 0)) y = v;
                if (Double.isNaN(y)) continue;
                XYSeries anchor = chart.addSeries("\u2060", new double[] {x}, new double[] {y});
                anchor.setMarker(SeriesMarkers.NONE);
                anchor.setLineStyle(SeriesLines.NONE);
                anchor.setShowInLegend(false);
                return;
            }
        }

        /** Every x of every arm is a whole number: steps, tokens, a context length. */
        private boolean wholeNumberX() {
            for (Arm arm : arms) {
                for (double v : arm.x()) if (v != Math.rint(v)) return false;
            }
            return true;
        }

        private void addReferences(XYChart chart) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Arm arm : arms) {
                for (double v : arm.x()) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            for (Reference reference : references) {
                XYSeries line = chart.addSeries(reference.name(), new double[] {min, max}, new double[] {reference.y(), reference.y()});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(ChartStyle.REFERENCE_COLOR);
                line.setLineStyle(ChartStyle.REFERENCE_STROKE);
            }
        }

        private void requirePositive() {
            for (Arm arm : arms) {
                double[] y = arm.y();
                for (int i = 0; i < y.length; i++) {
                    if (Double.isFinite(y[i]) && y[i] <= 0) {
                        throw new IllegalArgumentException(OWNER + ": logY needs every y > 0, but series '" + arm.name() + "' has y[" + i + "] = " + y[i]);
                    }
                }
            }
            for (Reference reference : references) {
                if (reference.y() <= 0) throw new IllegalArgumentException(OWNER + ": logY needs every y > 0, but reference '" + reference.name() + "' is " + reference.y());
            }
        }
    }
}
