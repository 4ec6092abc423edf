package org.moelab.viz;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Where XChart drew the parts of a chart, read from its own layout after painting (XChart 3.8.8 keeps it in
 * non-public fields, so this reads them reflectively; a test that uses it fails loudly if an XChart upgrade renames
 * them). Public so that the experiments' report tests can check their charts too.
 */
public final class ChartLayout {
    private final Chart<?, ?> chart;

    private ChartLayout(Chart<?, ?> chart) {
        this.chart = chart;
    }

    /** Paints {@code chart} once (as for a PNG) so that its layout is computed. */
    public static ChartLayout painted(Chart<?, ?> chart) {
        BufferedImage image = ChartExport.toImage(chart);
        if (image.getWidth() != chart.getWidth()) throw new AssertionError("painted " + image.getWidth() + " wide, chart is " + chart.getWidth());
        return new ChartLayout(chart);
    }

    /** The plot area: the data and its grid, inside the axes. */
    public Rectangle2D plot() {
        return (Rectangle2D) call(field(Chart.class, chart, "plot"), "getBounds");
    }

    /**
     * The legend box where it was drawn. XChart keeps only the legend's size in its bounds; the place is in the
     * legend's {@code xOffset}/{@code yOffset}, set when it is painted.
     */
    public Rectangle2D legend() {
        Object legend = field(Chart.class, chart, "legend");
        Rectangle2D size = (Rectangle2D) call(legend, "getBounds");
        Class<?> base = legend.getClass();
        while (!base.getSimpleName().equals("Legend_")) base = base.getSuperclass();
        double x = (Double) field(base, legend, "xOffset"), y = (Double) field(base, legend, "yOffset");
        return new Rectangle2D.Double(x, y, size.getWidth(), size.getHeight());
    }

    /** The x axis's tick values, as numbers (grouping commas dropped). */
    public List<Double> xTicks() {
        Object axisPair = field(Chart.class, chart, "axisPair");
        Object calculator = call(call(axisPair, "getXAxis"), "getAxisTickCalculator");
        List<Double> out = new ArrayList<>();
        for (Object label : (List<?>) call(calculator, "getTickLabels")) out.add(Double.parseDouble(String.valueOf(label).replace(",", "")));
        return out;
    }

    private static Object field(Class<?> owner, Object target, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("XChart's " + owner.getSimpleName() + "." + name + " is not readable: " + e, e);
        }
    }

    private static Object call(Object target, String method) {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(method);
                m.setAccessible(true);
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                // declared further up
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("XChart's " + c.getSimpleName() + "." + method + "() failed: " + e, e);
            }
        }
        throw new AssertionError("XChart's " + target.getClass().getSimpleName() + " has no " + method + "()");
    }
}
