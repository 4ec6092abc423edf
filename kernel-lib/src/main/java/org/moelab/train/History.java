package org.moelab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run recorded: one entry per training step, one per evaluation. */
public final class History {
    /** One optimizer step. */
    public record Step(long step, double loss, double learningRate, double gradNorm, double wallSeconds, double tokensPerSecond) {}

    /** One evaluation, metrics by name (e.g. "valid.bpc"). */
    public record Evaluation(long step, double wallSeconds, Map<String, Double> metrics) {}

    private final List<Step> steps = new ArrayList<>();
    private final List<Evaluation> evaluations = new ArrayList<>();

    void add(Step s) {
        steps.add(s);
    }

    void add(Evaluation e) {
        evaluations.add(e);
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    public List<Evaluation> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }

    public double[] stepNumbers() {
        return steps.stream().mapToDouble(Step::step).toArray();
    }

    public double[] losses() {
        return steps.stream().mapToDouble(Step::loss).toArray();
    }

    /** The evaluated values of one metric and the steps they were taken at: {steps[], values[]}. */
    public double[][] metric(String name) {
        List<Evaluation> with = evaluations.stream().filter(e -> e.metrics().containsKey(name)).toList();
        double[] x = with.stream().mapToDouble(Evaluation::step).toArray();
        double[] y = with.stream().mapToDouble(e -> e.metrics().get(name)).toArray();
        return new double[][] {x, y};
    }

    /** The most recent evaluation's metrics (empty before the first). */
    public Map<String, Double> lastMetrics() {
        return evaluations.isEmpty() ? Map.of() : new LinkedHashMap<>(evaluations.get(evaluations.size() - 1).metrics());
    }

    /** Mean loss over the last {@code n} steps (n clipped to what exists), NaN when empty. */
    public double recentLoss(int n) {
        if (steps.isEmpty()) return Double.NaN;
        int from = Math.max(0, steps.size() - n);
        double s = 0;
        for (int i = from; i < steps.size(); i++) s += steps.get(i).loss();
        return s / (steps.size() - from);
    }
}
