package org.moelab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.moelab.viz.HtmlRenderable;

/**
 * A small immutable table of experiment results: named columns, rows of String / Number / Boolean (or null for
 * missing), with the few operations a paper's analysis needs — filter, sort, select, group-by mean ± sd — and the
 * renderings it is shown in: HTML in a notebook, Markdown in {@code papers/*.md}, CSV for re-analysis, aligned text
 * in logs.
 *
 * <pre>{@code
 * ResultsTable runs = ResultsTable.builder("arm", "seed", "k", "bpc")
 *         .row("SMoE-Dropout", 1, 2, 2.412).row("SMoE-Dropout", 2, 2, 2.398).row("dense", 1, 8, 2.371).build();
 * ResultsTable summary = runs.meanSd(List.of("arm", "k"), List.of("bpc"))   // arm | k | n | bpc ("2.405 ± 0.0099")
 *         .sortBy("bpc").highlightBest("bpc", Best.LOWEST).caption("Validation BPC over seeds");
 * }</pre>
 *
 * <p><b>Why not a data-frame library.</b> Checked against Maven Central (Nov 2026): Tablesaw
 * ({@code tech.tablesaw:tablesaw-core:0.44.4}) pulls in fastutil (23 MB), Guava, ICU4J and more — a lot to put on the
 * kernel's launch classpath for a table of a few dozen rows. DFLib ({@code org.dflib:dflib}) is small (1.4 MB, no
 * dependencies) but its current line is a 2.0 milestone whose API is still being renamed, its notebook HTML lives in
 * {@code dflib-jupyter} (tied to the JJava kernel, not ours), and neither library has a "mean ± sd" cell, Markdown
 * output or best-value highlighting — the parts this class is for. What remains (filter, sort, group, mean/sd) is a
 * few dozen lines, so this is one small class plus its formatting helpers.
 */
public final class ResultsTable implements HtmlRenderable {
    /** Which end of a column is best, for {@link #highlightBest}. */
    public enum Best { LOWEST, HIGHEST }

    private final List<String> columns;
    private final List<List<Object>> rows;
    private final String caption;
    private final Map<String, Best> highlights;

    private ResultsTable(List<String> columns, List<List<Object>> rows, String caption, Map<String, Best> highlights) {
        this.columns = columns;
        this.rows = rows;
        this.caption = caption;
        this.highlights = highlights;
    }

    public static Builder builder(String... columns) {
        return new Builder(Arrays.asList(Objects.requireNonNull(columns, "columns")));
    }

    public static Builder builder(List<String> columns) {
        return new Builder(columns);
    }

    public List<String> columns() {
        return columns;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The row's values in column order (unmodifiable). */
    public List<Object> row(int index) {
        return rows.get(index);
    }

    public Object get(int row, String column) {
        return rows.get(row).get(indexOf(column));
    }

    /** The caption shown above the table, or null. */
    public String caption() {
        return caption;
    }

    /** A numeric column as doubles (a {@link MeanSd} gives its mean; a missing value gives NaN). */
    public double[] column(String name) {
        int c = indexOf(name);
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            Object v = rows.get(r).get(c);
            if (v != null && !(v instanceof Number)) {
                throw new IllegalArgumentException("ResultsTable: column '" + name + "' is not numeric (row " + r + " holds " + v.getClass().getSimpleName() + " '" + v + "')");
            }
            out[r] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        return out;
    }

    /** Any column's values as they are stored. */
    public List<Object> values(String name) {
        int c = indexOf(name);
        List<Object> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) out.add(row.get(c));
        return Collections.unmodifiableList(out);
    }

    /** The rows the predicate keeps, in order. */
    public ResultsTable filter(Predicate<Row> keep) {
        Objects.requireNonNull(keep, "keep");
        List<List<Object>> kept = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) if (keep.test(new Row(r))) kept.add(rows.get(r));
        return new ResultsTable(columns, List.copyOf(kept), caption, highlights);
    }

    /** Rows whose {@code column} equals {@code value} (numbers compare by value, so 2 matches 2.0). */
    public ResultsTable where(String column, Object value) {
        int c = indexOf(column);
        return filter(row -> Cells.same(rows.get(row.index).get(c), value));
    }

    /** Stable sort, ascending; missing values and NaN last. */
    public ResultsTable sortBy(String column) {
        return sortBy(column, false);
    }

    public ResultsTable sortBy(String column, boolean descending) {
        int c = indexOf(column);
        Comparator<List<Object>> order = (a, b) -> Cells.compare(a.get(c), b.get(c), descending);
        List<List<Object>> sorted = new ArrayList<>(rows);
        sorted.sort(order);
        return new ResultsTable(columns, List.copyOf(sorted), caption, highlights);
    }

    /** Only these columns, in this order. */
    public ResultsTable select(String... names) {
        int[] picked = Arrays.stream(names).mapToInt(this::indexOf).toArray();
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> values = new ArrayList<>(picked.length);
            for (int c : picked) values.add(row.get(c));
            out.add(Collections.unmodifiableList(values));
        }
        Map<String, Best> kept = new LinkedHashMap<>(highlights);
        kept.keySet().retainAll(Arrays.asList(names));
        return new ResultsTable(List.of(names), List.copyOf(out), caption, Map.copyOf(kept));
    }

    /**
     * One row per distinct combination of {@code groupColumns} (in order of first appearance) with an {@code n}
     * column (rows in the group) and, per value column, a {@link MeanSd} of its non-missing values. An empty
     * {@code groupColumns} aggregates the whole table into one row.
     */
    public ResultsTable meanSd(List<String> groupColumns, List<String> valueColumns) {
        return GroupAggregation.meanSd(this, groupColumns, valueColumns);
    }

    /** Marks the best value of a numeric column (bold in HTML and Markdown). */
    public ResultsTable highlightBest(String column, Best best) {
        indexOf(column);
        column(column);
        Map<String, Best> more = new LinkedHashMap<>(highlights);
        more.put(column, Objects.requireNonNull(best, "best"));
        return new ResultsTable(columns, rows, caption, Collections.unmodifiableMap(more));
    }

    public ResultsTable caption(String caption) {
        return new ResultsTable(columns, rows, caption, highlights);
    }

    @Override
    public String toHtml() {
        return TableRendering.html(this);
    }

    public String toMarkdown() {
        return TableRendering.markdown(this);
    }

    /** RFC 4180 CSV, full precision; a {@link MeanSd} column becomes two columns, {@code name} and {@code name_sd}. */
    public String toCsv() {
        return TableRendering.csv(this);
    }

    public Path writeCsv(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Aligned plain text: numbers right-aligned, text left-aligned. */
    @Override
    public String toString() {
        return TableRendering.text(this);
    }

    /** Row indices holding each highlighted column's best value (ties all marked). */
    Map<String, List<Integer>> bestRows() {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        highlights.forEach((name, best) -> {
            double[] values = column(name);
            double target = best == Best.LOWEST ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            for (double v : values) if (!Double.isNaN(v)) target = best == Best.LOWEST ? Math.min(target, v) : Math.max(target, v);
            List<Integer> hits = new ArrayList<>();
            for (int r = 0; r < values.length; r++) if (values[r] == target) hits.add(r);
            out.put(name, hits);
        });
        return out;
    }

    int indexOf(String column) {
        int c = columns.indexOf(column);
        if (c < 0) throw new IllegalArgumentException("ResultsTable: no column '" + column + "'; columns are " + columns);
        return c;
    }

    /** A read-only view of one row, for {@link #filter}. */
    public final class Row {
        private final int index;

        private Row(int index) {
            this.index = index;
        }

        public int index() {
            return index;
        }

        public Object get(String column) {
            return rows.get(index).get(indexOf(column));
        }

        /** The value as a double; NaN when missing. */
        public double number(String column) {
            Object v = get(column);
            if (v == null) return Double.NaN;
            if (v instanceof Number n) return n.doubleValue();
            throw new IllegalArgumentException("ResultsTable: column '" + column + "' is not numeric (holds '" + v + "')");
        }

        public String string(String column) {
            Object v = get(column);
            return v == null ? null : v.toString();
        }
    }

    /** Rows are checked as they come: width, allowed types, and one kind (text, number, boolean) per column. */
    public static final class Builder {
        private final List<String> columns;
        private final List<List<Object>> rows = new ArrayList<>();
        private final Class<?>[] kinds;
        private String caption;

        private Builder(List<String> columns) {
            if (columns == null || columns.isEmpty()) throw new IllegalArgumentException("ResultsTable: columns must not be empty");
            for (String c : columns) {
                if (c == null || c.isBlank()) throw new IllegalArgumentException("ResultsTable: column names must be non-blank, got " + columns);
            }
            if (columns.stream().distinct().count() != columns.size()) throw new IllegalArgumentException("ResultsTable: column names must be distinct, got " + columns);
            this.columns = List.copyOf(columns);
            this.kinds = new Class<?>[columns.size()];
        }

        public Builder row(Object... values) {
            Objects.requireNonNull(values, "values");
            return row(Arrays.asList(values));
        }

        public Builder row(List<?> values) {
            int r = rows.size();
            if (values.size() != columns.size()) {
                throw new IllegalArgumentException("ResultsTable: row " + r + " has " + values.size() + " values but the table has " + columns.size() + " columns " + columns);
            }
            for (int c = 0; c < values.size(); c++) {
                Object v = values.get(c);
                if (v == null) continue;
                Class<?> kind = Cells.kind(v);
                if (kind == null) {
                    throw new IllegalArgumentException("ResultsTable: row " + r + ", column '" + columns.get(c) + "' holds a " + v.getClass().getName()
                            + "; cells must be String, Number or Boolean");
                }
                if (kinds[c] == null) kinds[c] = kind;
                else if (kinds[c] != kind) {
                    throw new IllegalArgumentException("ResultsTable: column '" + columns.get(c) + "' holds " + kinds[c].getSimpleName() + " values but row " + r
                            + " has " + kind.getSimpleName() + " '" + v + "'");
                }
            }
            rows.add(Collections.unmodifiableList(new ArrayList<>(values)));
            return this;
        }

        public Builder caption(String caption) {
            this.caption = caption;
            return this;
        }

        public ResultsTable build() {
            return new ResultsTable(columns, List.copyOf(rows), caption, Map.of());
        }
    }
}
