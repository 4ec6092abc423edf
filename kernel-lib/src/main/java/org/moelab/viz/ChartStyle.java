package org.moelab.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The house style every chart builder in this package applies: one size, one font family, light grid lines, a
 * colour-blind-safe palette (Okabe &amp; Ito, "Color Universal Design", 2008, without its yellow, which is unreadable
 * as a thin line on white, and with Paul Tol's wine as an eighth colour, so that an experiment of eight arms, MoM's
 * full preset, needs no colour twice), and tooltips off (XChart 3.8.8's bitmap encoder throws with tooltips on, knowm/XChart#862).
 *
 * <p>Readable at a glance: the legend sits outside the plot, right of it, so it never covers a curve, for every chart
 * kind of this package (XY, category, heat map); a series name keeps one colour in every chart of the JVM, whatever
 * order and subset of series a chart adds ({@link #colors}); and the builders make every value axis say which way is
 * better ({@link Better}). Step axes tick at round numbers ({@link Curves}).
 *
 * <p>Immutable; {@link #HOUSE} is the default and {@link #withSize} / {@link #withArms} derive variants, so a
 * notebook can ask for a wider chart without re-styling anything else.
 */
public final class ChartStyle {
    /** Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, black; then Tol's wine. */
    public static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
            new Color(0xD55E00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0x882255)};
    /** Reference lines (dense baseline, target loss) are grey and dashed so they never read as an arm. */
    public static final Color REFERENCE_COLOR = new Color(0x555555);
    public static final BasicStroke REFERENCE_STROKE =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    public static final BasicStroke SERIES_STROKE = new BasicStroke(2f);

    public static final ChartStyle HOUSE = new ChartStyle(760, 420, List.of(), Map.of());

    private static final String FONT = Font.SANS_SERIF;
    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color TEXT = new Color(0x222222);

    private final int width;
    private final int height;
    private final List<String> arms;
    /** Series drawn in the colour of an arm of another name (series name → arm name). */
    private final Map<String, String> armOfSeries;

    private ChartStyle(int width, int height, List<String> arms, Map<String, String> armOfSeries) {
        this.width = Checks.positive("ChartStyle", "width", width);
        this.height = Checks.positive("ChartStyle", "height", height);
        this.arms = List.copyOf(arms);
        this.armOfSeries = Map.copyOf(armOfSeries);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public ChartStyle withSize(int width, int height) {
        return new ChartStyle(width, height, arms, armOfSeries);
    }

    /**
     * Fixes each arm's colour by its place in {@code armNames} (an experiment's arms, in order), so that the
     * experiment's charts colour its arms alike in every JVM, whatever was drawn before them (see {@link #colors}).
     */
    public ChartStyle withArms(List<String> armNames) {
        Checks.notNull("ChartStyle", "arm names", armNames);
        for (String name : armNames) Checks.notNull("ChartStyle", "every arm name", name);
        return new ChartStyle(width, height, armNames, armOfSeries);
    }

    /**
     * Draws the series {@code seriesName} in the colour of the arm {@code armName}: for a chart that measures an
     * arm's layer under another name ("MoM (recurrent)" decoding next to the MQAR arm "MoM (4 mem, top-2, shared)"),
     * so the reader still finds the arm by its colour.
     */
    public ChartStyle withArmColour(String seriesName, String armName) {
        Checks.name("ChartStyle", "series name", seriesName);
        Checks.name("ChartStyle", "arm name", armName);
        Map<String, String> more = new HashMap<>(armOfSeries);
        more.put(seriesName, armName);
        return new ChartStyle(width, height, arms, more);
    }

    /** The colour of palette slot {@code slot}, cycling through {@link #PALETTE}. */
    public static Color color(int slot) {
        return PALETTE[Math.floorMod(slot, PALETTE.length)];
    }

    /**
     * The colours of one chart's series (distinct names), in the order given: by name, not by place, so the same name
     * gets the same colour in every chart of this JVM whatever order and subset of series each chart has. A name of
     * this style's {@link #withArms arm list} takes its index there; any other name keeps the colour it got in the
     * first chart that showed it; a series of {@link #withArmColour} takes its arm's colour. The rules, and how a
     * clash in one chart is resolved, are in {@code SeriesColours}.
     */
    public List<Color> colors(List<String> seriesNames) {
        Checks.notNull("ChartStyle", "series names", seriesNames);
        List<String> colourNames = seriesNames.stream().map(name -> armOfSeries.getOrDefault(name, name)).toList();
        List<Color> out = new ArrayList<>();
        for (int slot : SeriesColours.slots(colourNames, arms)) out.add(color(slot));
        return out;
    }

    /** Settings shared by every chart kind. */
    public void applyCommon(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0xBBBBBB));
        styler.setChartFontColor(TEXT);
        styler.setChartTitleFont(new Font(FONT, Font.BOLD, 15));
        styler.setChartTitleBoxVisible(false);
        styler.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        styler.setLegendBorderColor(new Color(0xDDDDDD));
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        // Outside, right of the plot: inside, a legend of four or more arms covers the curves' ends or starts.
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setSeriesColors(PALETTE);
        styler.setToolTipsEnabled(false);
        styler.setAntiAlias(true);
        styler.setChartPadding(8);
    }

    /** Common settings plus axes, ticks and the light grid. */
    public void applyAxes(AxesChartStyler styler) {
        applyCommon(styler);
        styler.setAxisTitleFont(new Font(FONT, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 11));
        styler.setAxisTickMarksColor(new Color(0x999999));
        styler.setPlotGridLinesColor(GRID);
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setPlotGridLinesVisible(true);
        styler.setLocale(Locale.ROOT);
        styler.setMarkerSize(7);
    }
}
