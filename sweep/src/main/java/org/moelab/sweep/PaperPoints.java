package org.moelab.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.moelab.report.ExperimentReport;
import org.moelab.experiments.Papers;
import org.moelab.report.ResultsTable;
import org.moelab.lab.InterruptRequestedException;
import org.moelab.lab.Interrupts;

/**
 * The default {@link PointRunner}: runs the paper's experiment restricted to the point's arm and seed
 * ({@link Papers#run}) and reads the point's metrics from the report's {@code runs} table (one row per arm and seed,
 * or several rows told apart by key columns such as {@code k}). Every numeric cell becomes a metric, named by its
 * column (plus the row's key values when the point has several rows); wall-clock columns are left out because they
 * are not reproducible and a sweep's numbers must be. An arm whose rows carry several labels in the {@code arm}
 * column (LoRA-Mixer's FFN placement: "FFN placement oracle" and "FFN placement SBL top-2") is keyed by that label
 * first; an arm with one label (every other paper's) never is, so its metric names do not repeat it.
 */
public final class PaperPoints implements PointRunner {
    /** The report table with one row per arm × seed that every paper's experiment produces. */
    public static final String RUNS_TABLE = "runs";
    private static final Pattern WALL_CLOCK = Pattern.compile("(?i).*\\b(seconds|secs?|train s|time)\\b.*|.* s");
    private static final Set<String> IDENTITY_COLUMNS = Set.of("arm", "seed");

    @Override
    public Map<String, Double> measure(SweepPoint point) {
        ExperimentReport report = Papers.run(point.spec());
        // A training stopped by an interrupt returns what it had: never a point's result.
        if (Interrupts.requested()) throw new InterruptRequestedException();
        return metrics(report.table(RUNS_TABLE), point.seed());
    }

    /** The metrics of {@code seed}'s rows of a runs table (all rows when it has no seed column). */
    static Map<String, Double> metrics(ResultsTable runs, long seed) {
        ResultsTable rows = runs.columns().contains("seed") ? runs.where("seed", seed) : runs;
        if (rows.rowCount() == 0) throw new IllegalStateException("the runs table has no row for seed " + seed);
        List<String> keys = keyColumns(rows);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int r = 0; r < rows.rowCount(); r++) {
            String suffix = suffix(rows, r, keys);
            for (String column : rows.columns()) {
                if (IDENTITY_COLUMNS.contains(column) || keys.contains(column) || WALL_CLOCK.matcher(column).matches()) continue;
                if (rows.get(r, column) instanceof Number n) out.put(column + suffix, n.doubleValue());
            }
        }
        return out;
    }

    /**
     * The shortest run of leading columns that tells the rows apart (none for a single row), an identity column only
     * where its value varies among them.
     */
    private static List<String> keyColumns(ResultsTable rows) {
        List<String> keys = new ArrayList<>();
        for (String column : rows.columns()) {
            if (distinct(rows, keys)) return keys;
            if (!IDENTITY_COLUMNS.contains(column) || !constant(rows, column)) keys.add(column);
        }
        if (!distinct(rows, keys)) throw new IllegalStateException("the runs table's rows for one point are not told apart by any columns");
        return keys;
    }

    private static boolean constant(ResultsTable rows, String column) {
        Set<Object> values = new HashSet<>();
        for (int r = 0; r < rows.rowCount(); r++) values.add(rows.get(r, column));
        return values.size() <= 1;
    }

    private static boolean distinct(ResultsTable rows, List<String> keys) {
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < rows.rowCount(); r++) if (!seen.add(suffix(rows, r, keys))) return false;
        return true;
    }

    private static String suffix(ResultsTable rows, int r, List<String> keys) {
        if (keys.isEmpty()) return "";
        StringJoiner j = new StringJoiner(", ", " [", "]");
        for (String k : keys) j.add(k + "=" + rows.get(r, k));
        return j.toString();
    }
}
