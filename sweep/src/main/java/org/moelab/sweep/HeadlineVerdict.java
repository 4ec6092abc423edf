package org.moelab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.moelab.experiments.Papers;
import org.moelab.report.ResultsTable;

/**
 * The paper's verdict computed from a sweep's points: its headline comparison ({@link Papers.Headline}: an arm against
 * a baseline on one metric) per configuration, as the difference of the two arms' means over seeds with Welch's 95%
 * interval of that difference. A difference is called only when the interval excludes 0: then the claim is
 * "supported" (the predicted direction) or "contradicted" (the other); otherwise "no difference called". With fewer
 * than two successful seeds per arm there is no interval and the row says so. With {@code --tune} each arm sits at
 * its own chosen value, so the two are compared across their configurations ("tuned per arm").
 */
public final class HeadlineVerdict {
    public static final String SUPPORTED = "supported", CONTRADICTED = "contradicted", NOT_CALLED = "no difference called (95% CI includes 0)",
            TOO_FEW = "too few seeds (need ≥ 2 per arm)";

    private HeadlineVerdict() {}

    /**
     * One row per configuration in which both headline arms have the metric: configuration, arms, metric, n and mean
     * of each, difference (arm − baseline), its 95% interval, and the verdict. Empty when the sweep lacks one of the
     * two arms or the metric (the caption then says what the verdict needs).
     */
    public static ResultsTable of(String paper, List<PointResult> points, boolean tunedPerArm) {
        Papers.Headline h = Papers.headline(paper).orElse(null);
        if (h == null) return ResultsTable.builder("verdict").caption("Verdict: no headline comparison is defined for " + paper).build();
        Map<String, List<PointResult>> groups = new LinkedHashMap<>();
        for (PointResult r : points) groups.computeIfAbsent(tunedPerArm ? "tuned per arm" : r.point().configuration(), k -> new ArrayList<>()).add(r);
        ResultsTable.Builder b = ResultsTable.builder("configuration", "comparison", "metric", "n arm", "mean arm", "n baseline", "mean baseline",
                "difference", "95% CI low", "95% CI high", "verdict");
        int[] rows = {0};
        groups.forEach((configuration, group) -> {
            List<PointResult> arm = ok(group, h.arm()), baseline = ok(group, h.baseline());
            if (arm.isEmpty() || baseline.isEmpty()) return;
            boolean sameMetric = h.metric().equals(h.baselineMetric());
            String armMetric = metric(arm, h.metric(), sameMetric ? baseline : List.of());
            String baselineMetric = sameMetric ? armMetric : metric(baseline, h.baselineMetric(), List.of());
            if (armMetric == null || baselineMetric == null) return;
            String metric = sameMetric ? armMetric : armMetric + " vs " + baselineMetric;
            rows[0]++;
            double[] a = values(arm, armMetric), c = values(baseline, baselineMetric);
            String comparison = h.arm() + " vs " + h.baseline();
            if (a.length < 2 || c.length < 2) {
                b.row(configuration, comparison, metric, a.length, Stats.mean(a), c.length, Stats.mean(c), Stats.mean(a) - Stats.mean(c), null, null, TOO_FEW);
                return;
            }
            double[] d = Stats.welchDifference95(a, c);
            b.row(configuration, comparison, metric, a.length, Stats.mean(a), c.length, Stats.mean(c), d[0], d[1], d[2], call(d, h.higherIsBetter()));
        });
        String rule = rows[0] == 0
                ? "no verdict: it compares arms " + h.arm() + " and " + h.baseline() + " on a metric matching " + h.metric()
                        + (h.metric().equals(h.baselineMetric()) ? "" : " (the baseline's: " + h.baselineMetric() + ")") + ", which this sweep does not have for both"
                : (h.higherIsBetter() ? "higher" : "lower") + " is better; a difference is called only when Welch's 95% CI excludes 0";
        return b.caption("Verdict: " + h.claim() + " (" + rule + ")").build();
    }

    /** The verdict of a difference interval {@code {difference, low, high}}. */
    static String call(double[] difference, boolean higherIsBetter) {
        if (difference[1] <= 0 && difference[2] >= 0) return NOT_CALLED;
        boolean armHigher = difference[1] > 0;
        return armHigher == higherIsBetter ? SUPPORTED : CONTRADICTED;
    }

    private static List<PointResult> ok(List<PointResult> group, String arm) {
        return group.stream().filter(r -> r.succeeded() && r.point().arm().equals(arm)).toList();
    }

    /**
     * The last metric of {@code points} whose whole name matches {@code pattern} that every one of them and of
     * {@code alsoIn} has (the other arm's points, when both are read on one metric); null if none.
     */
    private static String metric(List<PointResult> points, String pattern, List<PointResult> alsoIn) {
        Pattern regex = Pattern.compile(pattern);
        String last = null;
        for (String name : points.get(0).metrics().keySet()) {
            if (regex.matcher(name).matches() && points.stream().allMatch(r -> r.metrics().containsKey(name))
                    && alsoIn.stream().allMatch(r -> r.metrics().containsKey(name))) last = name;
        }
        return last;
    }

    private static double[] values(List<PointResult> points, String metric) {
        return points.stream().mapToDouble(r -> r.metrics().get(metric)).toArray();
    }
}
