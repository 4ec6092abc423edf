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
 *   <li>{@link org.moelab.viz.ChartStyle}: the one house style all of them apply.</li>
 * </ul>
 *
 * Builders return XChart objects rather than images so the kernel can render them inline (PNG, or SVG on request)
 * and tests can read their series. Bad input fails in {@code build()} or earlier with an
 * {@link java.lang.IllegalArgumentException} naming the builder, the parameter and the series.
 */
package org.moelab.viz;
