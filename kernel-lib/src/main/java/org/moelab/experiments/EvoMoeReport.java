package org.moelab.experiments;

import static org.moelab.experiments.ExperimentRunner.firstSeed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.data.MixLm4;
import org.moelab.models.EvoMoE;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.viz.Better;
import org.moelab.viz.ChartStyle;
import org.moelab.viz.Curves;
import org.moelab.viz.HeatMaps;

/**
 * Turns the EvoMoE arms' curves into the paper's evidence: per-run and mean ± sd tables, validation loss against
 * steps and against expert FLOPs, the active-experts curve, the temperature schedule with its phases, the flip
 * rate, the expert × source heat map and the claim verdict. Target = Switch's final validation loss of the same
 * seed; steps-to-target = first checkpoint at or below it.
 */
public final class EvoMoeReport {
    private EvoMoeReport() {}

    static double target(List<EvoMoeArmResult> results, long seed) {
        return results.stream().filter(r -> r.arm() == EvoMoeExperiment.Arm.SWITCH && r.seed() == seed)
                .mapToDouble(EvoMoeArmResult::finalLoss).findFirst().orElse(Double.NaN);
    }

    public static ResultsTable table(List<EvoMoeArmResult> results) {
        ResultsTable.Builder b = ResultsTable.builder("arm", "seed", "val loss", "val loss at N/2", "steps to Switch", "GFLOP to Switch",
                "expert GFLOP", "active experts (end)", "load entropy", "flip rate (end)", "MI(source;expert)", "loss counter", "loss markov", "loss copy", "loss dyck", "loss without copy", "train s");
        for (EvoMoeArmResult r : results) {
            double t = target(results, r.seed());
            b.row(r.arm().label, r.seed(), r.finalLoss(), r.lossAtHalf(), r.stepsTo(t), r.flopsTo(t) / 1e9, r.totalFlops() / 1e9,
                    r.last(r.activeExperts()), r.last(r.loadEntropy()), r.last(r.flipRate()), r.last(r.mutualInformation()),
                    source(r, 0), source(r, 1), source(r, 2), source(r, 3),
                    // The sources without a learning transition (counter, Markov, Dyck): no seed lottery in their mean.
                    (source(r, 0) + source(r, 1) + source(r, 3)) / 3, r.seconds());
        }
        return b.caption("Per run: final validation loss (nats, clean top-1), steps and expert-FFN training GFLOP to reach Switch's final loss").build();
    }

    public static ResultsTable summary(List<EvoMoeArmResult> results) {
        return table(results).meanSd(List.of("arm"), List.of("val loss", "val loss at N/2", "steps to Switch", "GFLOP to Switch", "expert GFLOP",
                "load entropy", "flip rate (end)", "MI(source;expert)", "loss counter", "loss markov", "loss copy", "loss dyck", "loss without copy", "train s")).caption("Mean ± sd over seeds");
    }

    private static double source(EvoMoeArmResult r, int source) {
        return source < r.sourceLoss().length ? r.sourceLoss()[source] : Double.NaN;
    }

    static double mean(List<EvoMoeArmResult> results, EvoMoeExperiment.Arm arm, ToDoubleFunction<EvoMoeArmResult> f) {
        return results.stream().filter(r -> r.arm() == arm).mapToDouble(f).average().orElse(Double.NaN);
    }

    public static Verdict verdict(List<EvoMoeArmResult> results, EvoMoeSettings s, EvoMoE schedule) {
        var evo = EvoMoeExperiment.Arm.EVOMOE;
        var sw = EvoMoeExperiment.Arm.SWITCH;
        double evoSteps = mean(results, evo, r -> r.stepsTo(target(results, r.seed())));
        double swSteps = mean(results, sw, r -> r.stepsTo(target(results, r.seed())));
        double evoFlops = mean(results, evo, r -> r.flopsTo(target(results, r.seed())));
        double swFlops = mean(results, sw, r -> r.flopsTo(target(results, r.seed())));
        Verdict faster = Verdict.claim("EvoMoE reaches Switch's final validation loss in fewer steps (paper: 2.0x fewer steps, 1.42x on FLOPs)")
                .measured("EvoMoE steps to target", evoSteps).measured("Switch steps to target", swSteps)
                .measured("step speed-up (Switch/EvoMoE)", swSteps / evoSteps)
                .measured("EvoMoE GFLOP to target", evoFlops / 1e9).measured("Switch GFLOP to target", swFlops / 1e9)
                .measured("FLOP speed-up (Switch/EvoMoE)", swFlops / evoFlops)
                .measured("EvoMoE final val loss", mean(results, evo, EvoMoeArmResult::finalLoss))
                .measured("Switch final val loss", mean(results, sw, EvoMoeArmResult::finalLoss))
                .lessThan("EvoMoE steps to target", "Switch steps to target").build();
        int start = (int) schedule.phaseAEnd();
        double first = mean(results, evo, r -> r.activeExperts()[Math.min(start, r.activeExperts().length - 1)]);
        double end = mean(results, evo, r -> r.last(r.activeExperts()));
        Verdict curve = Verdict.claim("The DTS gate goes from dense to sparse: active experts per token fall from about E to 1")
                .measured("active experts at the first phase-B step", first).measured("active experts at the end", end)
                .atLeast("active experts at the first phase-B step", 0.75 * s.experts())
                .atMost("active experts at the end", 1.0).build();
        return Verdict.all("EvoMoE converges faster than Switch, and its gate anneals from dense to sparse", faster, curve);
    }

    /** Every chart of this experiment gives an arm the same colour. */
    private static final ChartStyle ARM_COLOURS = ChartStyle.HOUSE.withArms(java.util.Arrays.stream(EvoMoeExperiment.Arm.values()).map(a -> a.label).toList());

    public static Chart<?, ?> lossVsSteps(List<EvoMoeArmResult> results) {
        Curves.Builder b = Curves.builder("Validation loss vs steps (first seed)").style(ARM_COLOURS).xTitle("step").yTitle("validation cross-entropy (nats)", Better.LOWER);
        for (EvoMoeArmResult r : firstSeed(results)) if (r.valLoss().length > 0) b.add(r.arm().label, r.evalSteps(), r.valLoss());
        double t = target(results, results.get(0).seed());
        if (Double.isFinite(t)) b.reference("Switch final", t);
        return b.build();
    }

    public static Chart<?, ?> lossVsFlops(List<EvoMoeArmResult> results) {
        Curves.Builder b = Curves.builder("Validation loss vs expert-FFN training FLOPs (first seed)").style(ARM_COLOURS).xTitle("expert GFLOP (fwd+bwd)").yTitle("validation cross-entropy (nats)", Better.LOWER);
        for (EvoMoeArmResult r : firstSeed(results)) {
            if (r.valLoss().length == 0) continue;
            double[] g = r.evalFlops().clone();
            for (int i = 0; i < g.length; i++) g[i] /= 1e9;
            b.add(r.arm().label, g, r.valLoss());
        }
        return b.build();
    }

    public static Chart<?, ?> activeExperts(List<EvoMoeArmResult> results) {
        Curves.Builder b = Curves.builder("Active experts per token during training (first seed)").style(ARM_COLOURS).xTitle("step").yTitle("experts evaluated per token", Better.NEITHER).smoothing(0.8);
        for (EvoMoeArmResult r : firstSeed(results)) if (r.activeExperts().length > 0) b.add(r.arm().label, r.activeExperts());
        return b.build();
    }

    public static Chart<?, ?> flipRate(List<EvoMoeArmResult> results) {
        Curves.Builder b = Curves.builder("Routing flip rate between checkpoints (first seed)").style(ARM_COLOURS).xTitle("step").yTitle("share of validation tokens whose top-1 expert changed", Better.NEITHER);
        for (EvoMoeArmResult r : firstSeed(results)) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < r.flipRate().length; i++) if (Double.isFinite(r.flipRate()[i])) {
                x.add(r.evalSteps()[i]);
                y.add(r.flipRate()[i]);
            }
            if (!y.isEmpty()) b.add(r.arm().label, x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return b.build();
    }

    /** τ(n) and the phases: A (one expert), dense-to-sparse, hard top-1. */
    public static Chart<?, ?> schedule(EvoMoE model, int steps) {
        int points = Math.min(steps, 200);
        double[] x = new double[points + 1], tau = new double[points + 1], phase = new double[points + 1];
        for (int i = 0; i <= points; i++) {
            x[i] = (double) i * steps / points;
            long n = (long) x[i];
            tau[i] = model.temperatureAt(n);
            phase[i] = n < model.phaseAEnd() ? 0 : n < model.sparseEnd() ? 1 : 2;
        }
        return Curves.builder("EvoMoE schedule: phase (0 = A one expert, 1 = dense-to-sparse, 2 = top-1) and temperature τ")
                .xTitle("training step").yTitle("τ / phase", Better.NEITHER).add("Gumbel temperature τ", x, tau).add("phase", x, phase).build();
    }

    public static Chart<?, ?> expertBySource(EvoMoeArmResult r) {
        List<String> experts = new ArrayList<>();
        for (int e = 0; e < r.expertBySource().length; e++) experts.add("E" + e);
        return HeatMaps.builder("P(expert | source) at the end, " + r.arm().label + " (clean top-1, validation)", r.expertBySource())
                .rowLabels(experts).columnLabels(MixLm4.SOURCE_NAMES).rowTitle("expert").columnTitle("source").valuePattern("0.00").build();
    }

    public static ExperimentReport report(List<EvoMoeArmResult> results, EvoMoeSettings settings, EvoMoE scheduleModel) {
        Map<String, ResultsTable> tables = new LinkedHashMap<>();
        tables.put("summary", summary(results));
        tables.put("runs", table(results));
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        // An arm interrupted before its first checkpoint (or step) has no curve; with none at all there is no chart.
        if (firstSeed(results).stream().anyMatch(r -> r.valLoss().length > 0)) {
            charts.put("lossVsSteps", lossVsSteps(results));
            charts.put("lossVsFlops", lossVsFlops(results));
        }
        if (firstSeed(results).stream().anyMatch(r -> r.activeExperts().length > 0)) charts.put("activeExperts", activeExperts(results));
        charts.put("schedule", schedule(scheduleModel, settings.steps()));
        // A dense arm has no routing to flip: a sweep point that trains it alone has no flip-rate curve to draw.
        boolean anyFlips = firstSeed(results).stream().anyMatch(r -> java.util.Arrays.stream(r.flipRate()).anyMatch(Double::isFinite));
        if (anyFlips) charts.put("flipRate", flipRate(results));
        results.stream().filter(r -> r.arm() == EvoMoeExperiment.Arm.EVOMOE && r.expertBySource().length > 0).findFirst()
                .ifPresent(r -> charts.put("expertBySource", expertBySource(r)));
        return new ExperimentReport("EvoMoE: dense-to-sparse gate vs Switch on MixLM-4 (" + settings.steps() + " steps, "
                + settings.seeds().size() + " seed" + (settings.seeds().size() == 1 ? "" : "s") + ")", tables, charts, verdict(results, settings, scheduleModel));
    }
}
