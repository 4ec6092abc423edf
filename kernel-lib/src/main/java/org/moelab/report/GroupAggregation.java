package org.moelab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Group-by with mean ± sd per value column; see {@link ResultsTable#meanSd}. */
final class GroupAggregation {
    static final String COUNT_COLUMN = "n";

    private GroupAggregation() {}

    static ResultsTable meanSd(ResultsTable table, List<String> groupColumns, List<String> valueColumns) {
        Objects.requireNonNull(groupColumns, "groupColumns");
        Objects.requireNonNull(valueColumns, "valueColumns");
        if (valueColumns.isEmpty()) throw new IllegalArgumentException("ResultsTable.meanSd: valueColumns must not be empty");
        if (groupColumns.contains(COUNT_COLUMN) || valueColumns.contains(COUNT_COLUMN)) {
            throw new IllegalArgumentException("ResultsTable.meanSd: '" + COUNT_COLUMN + "' is the count column of the result; rename that column first");
        }
        int[] groups = groupColumns.stream().mapToInt(table::indexOf).toArray();
        List<List<Object>> values = new ArrayList<>();
        for (String name : valueColumns) {
            table.column(name); // fails with a clear message for a non-numeric column
            values.add(table.values(name));
        }

        Map<List<Object>, List<Integer>> members = new LinkedHashMap<>();
        for (int r = 0; r < table.rowCount(); r++) {
            List<Object> key = new ArrayList<>(groups.length);
            for (int c : groups) key.add(table.row(r).get(c));
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }

        List<String> columns = new ArrayList<>(groupColumns);
        columns.add(COUNT_COLUMN);
        columns.addAll(valueColumns);
        ResultsTable.Builder out = ResultsTable.builder(columns).caption(table.caption());
        members.forEach((key, rows) -> {
            List<Object> row = new ArrayList<>(key);
            row.add(rows.size());
            for (List<Object> column : values) row.add(aggregate(column, rows));
            out.row(row);
        });
        return out.build();
    }

    /** Missing cells are skipped (not every arm measures everything); NaN stays in, so a diverged seed shows. */
    private static MeanSd aggregate(List<Object> column, List<Integer> rows) {
        double[] present = rows.stream().map(column::get).filter(Objects::nonNull).mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        return present.length == 0 ? null : MeanSd.of(present);
    }
}
