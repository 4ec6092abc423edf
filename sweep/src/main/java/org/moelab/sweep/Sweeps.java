package org.moelab.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.moelab.experiments.ExperimentSpec;
import org.moelab.report.ResultsTable;
import org.moelab.lab.InterruptRequestedException;
import org.moelab.lab.LabEnvironment;
import org.moelab.lab.LiveDisplay;

/**
 * Runs a {@link SweepPlan}: validates it (before any work), lists its points, reads back the points an earlier run
 * stored, trains the missing ones on Spark (storing each as it finishes) and summarises. With {@code --tune} it runs
 * the fair protocol: per arm, every tuning value on the tuning seeds; the value with the best mean of the validation
 * metric (ties: the first in grid order) is then trained on the fresh seeds, and only those are in the summary.
 */
public final class Sweeps {
    private Sweeps() {}

    /** Runs a plan with the papers' own experiments. */
    public static SweepReport run(SweepPlan plan) {
        return run(plan, new PaperPoints());
    }

    /** Runs a plan, training points with {@code runner}. */
    public static SweepReport run(SweepPlan plan, PointRunner runner) {
        ExperimentSpec base = plan.validate();
        ResultStore store = new ResultStore(plan.out(), base.contentHash());
        ResultStore.writeAtomically(store.folder().resolve("spec.txt"), base.toText());
        String title = "Sweep of " + plan.paper() + " (" + plan.preset() + " preset), seeds " + plan.seeds();
        try (Session session = new Session(plan, runner, store)) {
            if (!plan.tuning()) {
                List<SweepPoint> points = new ArrayList<>();
                for (Map<String, String> configuration : plan.configurations()) points.addAll(points(base, plan.arms(), plan.seeds(), configuration));
                List<PointResult> results = session.compute(points);
                return session.report(title, results, Map.of(), null);
            }
            List<SweepPoint> tuningPoints = new ArrayList<>();
            for (Map<String, String> candidate : plan.tuneConfigurations()) tuningPoints.addAll(points(base, plan.arms(), plan.tuneSeeds(), candidate));
            List<PointResult> tuning = session.compute(tuningPoints);
            ResultStore.writeAtomically(store.folder().resolve("tuning-points.csv"), SweepReport.rows(tuning, "tuning points").toCsv());
            Map<String, Map<String, String>> chosen = choose(plan, tuning);
            List<SweepPoint> finalPoints = new ArrayList<>();
            for (String arm : plan.arms()) finalPoints.addAll(points(base, List.of(arm), plan.seeds(), chosen.get(arm)));
            List<PointResult> results = session.compute(finalPoints);
            ResultsTable tuningSummary = SweepReport.summarise(tuning).caption("Tuning: " + plan.metric() + " on tuning seeds " + plan.tuneSeeds());
            Map<String, String> shown = new LinkedHashMap<>();
            // One tuned setting shows its value (as before); several show key=value pairs.
            chosen.forEach((arm, c) -> shown.put(arm, c.size() == 1 ? c.values().iterator().next() : c.toString()));
            return session.report(title + ", " + String.join(" × ", plan.tune().keySet()) + " tuned per arm on seeds " + plan.tuneSeeds(), results, shown, tuningSummary);
        }
    }

    /** One point per seed and arm (seeds outer, arms inner: the order the papers' experiments use). */
    static List<SweepPoint> points(ExperimentSpec base, List<String> arms, List<Long> seeds, Map<String, String> overrides) {
        String text = base.toText();
        List<SweepPoint> out = new ArrayList<>();
        for (long seed : seeds) for (String arm : arms) out.add(new SweepPoint(text, arm, seed, overrides));
        return out;
    }

    /**
     * Per arm, the tuning candidate (one value of each tuned setting) whose mean validation metric is best. {@code --metric} names one metric, or a regular
     * expression over metric names: then a point's value is its best matching metric (for SMoE-Dropout,
     * {@code "valid BPC( \\[k=.*\\])?"} is the BPC at the arm's own best k, or the dense arm's only BPC).
     */
    static Map<String, Map<String, String>> choose(SweepPlan plan, List<PointResult> tuning) {
        Map<String, Map<String, String>> chosen = new LinkedHashMap<>();
        for (String arm : plan.arms()) {
            Map<String, String> best = null;
            double bestMean = Double.NaN;
            for (Map<String, String> value : plan.tuneConfigurations()) {
                List<PointResult> group = tuning.stream().filter(r -> r.point().arm().equals(arm) && value.equals(r.point().overrides())).toList();
                double[] xs = group.stream().filter(PointResult::succeeded).mapToDouble(r -> tuningValue(plan, r)).toArray();
                if (xs.length == 0) continue;
                double mean = Stats.mean(xs);
                if (best == null || (plan.maximise() ? mean > bestMean : mean < bestMean)) {
                    best = value;
                    bestMean = mean;
                }
            }
            if (best == null) throw new IllegalStateException("every tuning point of arm " + arm + " failed; see " + plan.out());
            chosen.put(arm, best);
        }
        return chosen;
    }

    /** A tuning point's value of {@code --metric}: the metric of that name, else the best metric whose name matches it. */
    static double tuningValue(SweepPlan plan, PointResult r) {
        Double exact = r.metrics().get(plan.metric());
        if (exact != null) return exact;
        Pattern pattern;
        try {
            pattern = Pattern.compile(plan.metric());
        } catch (PatternSyntaxException e) {
            pattern = null;
        }
        Pattern matcher = pattern;
        double[] matching = matcher == null ? new double[0]
                : r.metrics().entrySet().stream().filter(m -> matcher.matcher(m.getKey()).matches()).mapToDouble(Map.Entry::getValue).filter(v -> !Double.isNaN(v)).toArray();
        if (matching.length == 0) {
            throw new IllegalArgumentException("--metric '" + plan.metric() + "' is neither a metric of " + plan.paper()
                    + " nor a pattern matching one; metrics: " + r.metrics().keySet());
        }
        return plan.maximise() ? Arrays.stream(matching).max().getAsDouble() : Arrays.stream(matching).min().getAsDouble();
    }

    /** One sweep's Spark context (started only when some point is missing) and its bookkeeping. */
    private static final class Session implements AutoCloseable {
        private final SweepPlan plan;
        private final PointRunner runner;
        private final ResultStore store;
        private final String codeVersion = LabEnvironment.codeFingerprint();
        private SparkPoints spark;
        private int computed;

        Session(SweepPlan plan, PointRunner runner, ResultStore store) {
            this.plan = plan;
            this.runner = runner;
            this.store = store;
        }

        /** Each point's result in the given order: stored ones read back, the missing ones trained and stored. */
        List<PointResult> compute(List<SweepPoint> points) {
            List<String> hashes = points.stream().map(p -> p.hash(codeVersion)).toList();
            Map<String, PointResult> results = new LinkedHashMap<>();
            List<SweepPoint> missing = new ArrayList<>();
            List<String> missingHashes = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                var stored = store.find(points.get(i), hashes.get(i));
                if (stored.isPresent()) {
                    results.put(hashes.get(i), stored.get());
                } else if (!missingHashes.contains(hashes.get(i))) {
                    missing.add(points.get(i));
                    missingHashes.add(hashes.get(i));
                }
            }
            if (!missing.isEmpty()) {
                if (spark == null) spark = new SparkPoints(new SparkPoints.Options(plan.master(), plan.maxFailures(), store.folder().resolve("ship")));
                LiveDisplay.Handle display = LiveDisplay.current().show("sweep " + plan.paper() + ": starting " + missing.size() + " points");
                long start = System.nanoTime();
                try {
                    spark.run(missing, missingHashes, runner, r -> {
                        store.store(r);
                        synchronized (results) {
                            results.put(r.hash(), r);
                        }
                    }, (done, running, failed, total) -> display.update(progress(done, running, failed, total, start)));
                } catch (InterruptRequestedException e) {
                    // The progress line would otherwise stay at its last "running" state under the cell.
                    display.finish("sweep " + plan.paper() + ": interrupted; the Spark job is cancelled, " + store.count()
                            + " finished points are kept in " + store.folder() + " and a rerun trains only the rest");
                    throw e;
                }
                computed += missing.size();
                List<PointResult> failures = missingHashes.stream().map(results::get).filter(r -> !r.succeeded()).toList();
                display.finish(progress(missing.size(), 0, failures.size(), missing.size(), start) + failureLines(failures));
            }
            List<PointResult> ordered = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                PointResult r = results.get(hashes.get(i));
                // Equal points (same hash) share one result; each keeps its own identity in the table.
                ordered.add(new PointResult(points.get(i), r.hash(), r.metrics(), r.failure(), r.attempts()));
            }
            return ordered;
        }

        /** One line per failed point (arm, seed, overrides, attempts, message): a failure must be readable without opening a file. */
        static String failureLines(List<PointResult> failures) {
            StringBuilder sb = new StringBuilder();
            for (PointResult r : failures) {
                SweepPoint p = r.point();
                sb.append("\n  failed: arm ").append(p.arm()).append(", seed ").append(p.seed());
                if (!p.overrides().isEmpty()) sb.append(", ").append(p.overrides());
                sb.append(" after ").append(r.attempts()).append(" attempt(s): ").append(r.failure());
            }
            return sb.toString();
        }

        private String progress(int done, int running, int failed, int total, long startNanos) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            String eta = done == 0 ? "?" : Math.round(seconds / done * (total - done)) + " s";
            return "sweep " + plan.paper() + ": " + done + "/" + total + " points done, " + running + " running, " + failed + " failed, ETA " + eta;
        }

        SweepReport report(String title, List<PointResult> results, Map<String, String> chosen, ResultsTable tuningSummary) {
            SweepReport report = new SweepReport(plan.paper(), title, results, chosen, tuningSummary, computed, spark == null ? 0 : spark.counts().tasksStarted(), store.folder());
            report.write();
            return report;
        }

        @Override
        public void close() {
            if (spark != null) spark.close();
        }
    }
}
