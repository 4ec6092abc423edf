/**
 * How results are shown, for any experiment: {@link org.moelab.report.ResultsTable} (a small immutable table with
 * filter / sort / select / group-by mean ± sd, rendered as HTML, Markdown, CSV or aligned text),
 * {@link org.moelab.report.MeanSd} (a mean ± sd cell), {@link org.moelab.report.Verdict} (a claim checked from
 * measured numbers by a stated rule) and {@link org.moelab.report.ExperimentReport} (one run's tables, charts and
 * verdict as a single notebook display). Nothing here knows a paper: each paper's experiment builds its tables and
 * verdict from these (its {@code <Paper>Report} in {@code experiments}, beside the arms whose fields it reads).
 *
 * <p>May import {@code viz} (rendering, charts) and the JDK only; {@code experiments}, {@code sweep} and the kernel
 * import it.
 */
package org.moelab.report;
