/**
 * The presentation layer every experiment and notebook shares, written once on XChart and Java2D, headless-safe
 * (nothing here opens a window).
 *
 * <ul>
 *   <li>{@link org.moelab.viz.Curves}: loss/metric curves of several arms over steps, FLOPs or time (EMA smoothing,
 *       log-y, reference lines) as an {@code XYChart};</li>
 *   <li>{@link org.moelab.viz.Sweeps}: a metric against a discrete parameter (BPC against k), lines with markers or
 *       grouped bars, optional error bars and a baseline, as a {@code CategoryChart};</li>
 *   <li>{@link org.moelab.viz.HeatMaps}: a labelled matrix (expert load per layer, expert × source) as a
 *       {@code HeatMapChart};</li>
 *   <li>{@link org.moelab.viz.ImageGrid}: small images in labelled rows as one {@code BufferedImage};</li>
 *   <li>{@link org.moelab.viz.Panels}: several charts/images side by side; {@link org.moelab.viz.ChartExport}: PNG
 *       and SVG;</li>
 *   <li>{@link org.moelab.viz.ChartStyle}: the one house style all of them apply; {@link org.moelab.viz.Better}: which
 *       way a metric improves.</li>
 * </ul>
 *
 * Every chart is meant to be read at a glance (issue 20), and the builders enforce it rather than leave it to each
 * call site: the legend sits outside the plot, right of it, for every chart kind, so it never covers data; a series
 * name keeps one colour in every chart of the JVM whatever order and subset of series a chart adds (an experiment fixes
 * its arms' colours with {@link org.moelab.viz.ChartStyle#withArms}); an axis of steps ticks at round numbers, 1, 2
 * or 5 &times; 10^k apart, never between whole steps; and a value axis cannot be built without saying which way is
 * better ("(&uarr; better)", "(&darr; better)", or nothing for a descriptive quantity such as active experts per
 * token).
 *
 * Builders return XChart objects rather than images so the kernel can render them inline (PNG, or SVG on request)
 * and tests can read their series. Bad input fails in {@code build()} or earlier with an
 * {@link java.lang.IllegalArgumentException} naming the builder, the parameter and the series.
 */
package org.moelab.viz;
