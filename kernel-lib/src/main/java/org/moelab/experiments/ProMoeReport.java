package org.moelab.experiments;

import static org.moelab.experiments.ExperimentRunner.firstSeed;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.data.Shapes10;
import org.moelab.report.ExperimentReport;
import org.moelab.report.MeanSd;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.viz.Better;
import org.moelab.viz.ChartStyle;
import org.moelab.viz.Curves;
import org.moelab.viz.HeatMaps;
import org.moelab.viz.ImageGrid;
import org.moelab.viz.Sweeps;

/**
 * Turns the ProMoE arms into the paper's evidence: per-run and mean ± sd tables (FD and conditional accuracy at each
 * CFG weight, final training MSE, JSD, MI, live experts, subspace overlap), the training curves, the specialisation
 * and FD bar charts, the live-prototype curve, P(expert | class) heat maps, sample grids, and the claim verdict.
 *
 * <p>Noise rule of the verdict (pre-registered in the notes: routing diagnostics are the primary evidence, FD
 * secondary): an FD difference counts only beyond two standard errors of the difference — from the spread over
 * seeds when there are ≥ 2, otherwise from the bootstrap sd of each FD over resampled generated sets.
 */
public final class ProMoeReport {
    private ProMoeReport() {}

    static String fdColumn(float w) {
        return String.format(Locale.ROOT, "FD (CFG %.1f)", w);
    }

    static String accuracyColumn(float w) {
        return String.format(Locale.ROOT, "accuracy (CFG %.1f)", w);
    }

    public static ResultsTable table(List<ProMoeArmResult> results, ProMoeSettings s) {
        List<String> columns = new ArrayList<>(List.of("arm", "seed", "final MSE"));
        for (float w : s.guidances()) columns.add(fdColumn(w));
        for (float w : s.guidances()) columns.add(accuracyColumn(w));
        columns.addAll(List.of("JSD(0-4 vs 5-9)", "MI(class;expert)", "live experts (end)", "subspace overlap", "parameters", "train s"));
        List<String> routingColumns = routingBreakdownColumns(results);
        columns.addAll(routingColumns);
        ResultsTable.Builder b = ResultsTable.builder(columns);
        for (ProMoeArmResult r : results) {
            List<Object> row = new ArrayList<>(List.of(r.arm().label, r.seed(), r.finalLoss()));
            for (float w : s.guidances()) row.add(r.fdAt(w));
            for (float w : s.guidances()) row.add(r.accuracyAt(w));
            row.addAll(List.of(r.jsd(), r.mutualInformation(), r.finalLiveExperts(), r.subspaceOverlap(), r.parameters(), r.seconds()));
            for (String c : routingColumns) row.add(r.routingBreakdown().getOrDefault(c, Double.NaN));
            b.row(row);
        }
        return b.caption("Per run: EMA samples (" + s.samples() + " per CFG weight, " + s.eulerSteps() + " Euler steps) against " + s.realImages()
                + " real images; routing diagnostics on the fixed probe (bits; fg/bg = foreground/background tokens, layer = MoE block index); final MSE = mean of the last 10% of training steps").build();
    }

    /** The per-layer and per-token-type MI columns of the runs, in first-seen order (dense arms have none). */
    static List<String> routingBreakdownColumns(List<ProMoeArmResult> results) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (ProMoeArmResult r : results) names.addAll(r.routingBreakdown().keySet());
        return List.copyOf(names);
    }

    public static ResultsTable summary(List<ProMoeArmResult> results, ProMoeSettings s) {
        List<String> values = new ArrayList<>(List.of("final MSE"));
        for (float w : s.guidances()) values.add(fdColumn(w));
        for (float w : s.guidances()) values.add(accuracyColumn(w));
        values.addAll(List.of("JSD(0-4 vs 5-9)", "MI(class;expert)", "live experts (end)", "subspace overlap", "train s"));
        values.addAll(routingBreakdownColumns(results).stream().filter(ProMoeRoutingProbe.TOKEN_TYPE_COLUMNS::contains).toList());
        return table(results, s).meanSd(List.of("arm"), values).caption("Mean ± sd over seeds");
    }

    static List<ProMoeArmResult> of(List<ProMoeArmResult> results, ProMoeExperiment.Arm arm) {
        return results.stream().filter(r -> r.arm() == arm).toList();
    }

    static MeanSd stat(List<ProMoeArmResult> results, ProMoeExperiment.Arm arm, ToDoubleFunction<ProMoeArmResult> f) {
        double[] v = of(results, arm).stream().mapToDouble(f).toArray();
        return v.length == 0 ? new MeanSd(Double.NaN, Double.NaN, 0) : MeanSd.of(v);
    }

    /** The claim check, computed from the measured numbers only. */
    public static Verdict verdict(List<ProMoeArmResult> results, ProMoeSettings s) {
        var pro = ProMoeExperiment.Arm.PROMOE;
        var tc = ProMoeExperiment.Arm.TOKEN_CHOICE;
        var dense = ProMoeExperiment.Arm.DENSE;
        String claim = "Explicit routing guidance (ProMoE) specialises experts by class where token-choice routing does not, and generates better samples than token-choice MoE and a dense DiT";
        for (var arm : List.of(pro, tc, dense)) {
            if (of(results, arm).isEmpty()) return Verdict.of(claim, false, "arm '" + arm.label + "' was not run (interrupted?), so the claim cannot be checked", Map.of());
        }
        Verdict specialisation = Verdict.claim("Primary: ProMoE's routing depends on the class more than token choice's (paper Fig. 6)")
                .measured("JSD ProMoE", stat(results, pro, ProMoeArmResult::jsd).mean())
                .measured("JSD token choice", stat(results, tc, ProMoeArmResult::jsd).mean())
                .measured("MI ProMoE", stat(results, pro, ProMoeArmResult::mutualInformation).mean())
                .measured("MI token choice", stat(results, tc, ProMoeArmResult::mutualInformation).mean())
                .lessThan("JSD token choice", "JSD ProMoE").lessThan("MI token choice", "MI ProMoE").build();
        return Verdict.all(claim, specialisation, fdBeats(results, s, tc), fdBeats(results, s, dense));
    }

    /** FD(ProMoE) < FD(other) by more than two standard errors of the difference, at every CFG weight. */
    static Verdict fdBeats(List<ProMoeArmResult> results, ProMoeSettings s, ProMoeExperiment.Arm other) {
        var pro = ProMoeExperiment.Arm.PROMOE;
        Verdict.Builder v = Verdict.claim("Secondary: FD(ProMoE) < FD(" + other.label + ") beyond noise, at every CFG weight (paper Tables 3 and 5)");
        for (float w : s.guidances()) {
            MeanSd a = stat(results, pro, r -> r.fdAt(w)), b = stat(results, other, r -> r.fdAt(w));
            double se = standardErrorOfDifference(results, pro, other, w);
            String nameA = String.format(Locale.ROOT, "FD ProMoE, CFG %.1f", w), nameB = String.format(Locale.ROOT, "FD %s, CFG %.1f", other.label, w);
            String nameSe = String.format(Locale.ROOT, "2·SE of the difference, CFG %.1f", w);
            v.measured(nameA, a.mean()).measured(nameB, b.mean()).measured(nameSe, 2 * se);
            double gap = b.mean() - a.mean();
            boolean shown = gap > 2 * se;
            String outcome = shown ? "shown" : gap > 0 ? "not shown: within noise" : "not shown: ProMoE is not lower";
            v.require(String.format(Locale.ROOT, "%s + %s < %s (gap %.3f vs %.3f: %s)", nameA, nameSe, nameB, gap, 2 * se, outcome), shown);
        }
        return v.build();
    }

    /** From the seed spread when each arm has ≥ 2 seeds; otherwise from the bootstrap sd of the single FDs. */
    static double standardErrorOfDifference(List<ProMoeArmResult> results, ProMoeExperiment.Arm a, ProMoeExperiment.Arm b, float w) {
        MeanSd x = stat(results, a, r -> r.fdAt(w)), y = stat(results, b, r -> r.fdAt(w));
        if (x.n() >= 2 && y.n() >= 2) return Math.sqrt(x.sd() * x.sd() / x.n() + y.sd() * y.sd() / y.n());
        double bx = stat(results, a, r -> r.fdNoiseAt(w)).mean(), by = stat(results, b, r -> r.fdNoiseAt(w)).mean();
        return Math.sqrt(bx * bx / Math.max(1, x.n()) + by * by / Math.max(1, y.n()));
    }

    /** Every chart of this experiment gives an arm the same colour. */
    private static final ChartStyle ARM_COLOURS = ChartStyle.HOUSE.withArms(java.util.Arrays.stream(ProMoeExperiment.Arm.values()).map(a -> a.label).toList());

    public static Chart<?, ?> loss(List<ProMoeArmResult> results) {
        Curves.Builder b = Curves.builder("Training loss: rectified-flow MSE per step (first seed, smoothed)").style(ARM_COLOURS).xTitle("step").yTitle("MSE to ε − x0", Better.LOWER).smoothing(0.95);
        for (ProMoeArmResult r : firstSeed(results)) b.add(r.arm().label, r.mseCurve());
        return b.build();
    }

    private static List<ProMoeExperiment.Arm> arms(List<ProMoeArmResult> results, boolean routedOnly) {
        List<ProMoeExperiment.Arm> out = new ArrayList<>();
        for (ProMoeArmResult r : results) if (!out.contains(r.arm()) && (!routedOnly || r.arm() != ProMoeExperiment.Arm.DENSE)) out.add(r.arm());
        return out;
    }

    /** JSD and MI per routed arm, mean with sd bars. */
    public static Chart<?, ?> specialisation(List<ProMoeArmResult> results) {
        List<ProMoeExperiment.Arm> arms = arms(results, true);
        List<String> labels = arms.stream().map(a -> a.shortLabel).toList();
        double[] jsd = new double[arms.size()], jsdSd = new double[arms.size()], mi = new double[arms.size()], miSd = new double[arms.size()];
        for (int i = 0; i < arms.size(); i++) {
            MeanSd j = stat(results, arms.get(i), ProMoeArmResult::jsd), m = stat(results, arms.get(i), ProMoeArmResult::mutualInformation);
            jsd[i] = j.mean();
            jsdSd[i] = j.n() > 1 ? j.sd() : 0;
            mi[i] = m.mean();
            miSd[i] = m.n() > 1 ? m.sd() : 0;
        }
        boolean seeds = results.stream().map(ProMoeArmResult::seed).distinct().count() > 1; // sd bars only over seeds
        return Sweeps.builder("Expert specialisation on the routing probe (bits; higher = more class-dependent)").parameter("arm", labels)
                .yTitle("bits", Better.HIGHER).add("JSD(classes 0-4 vs 5-9)", jsd, seeds ? jsdSd : null).add("MI(class; expert)", mi, seeds ? miSd : null).bars().build();
    }

    /** FD per arm at each CFG weight, mean with sd bars (seeds) or bootstrap sd (one seed). */
    public static Chart<?, ?> fd(List<ProMoeArmResult> results, ProMoeSettings s) {
        List<ProMoeExperiment.Arm> arms = arms(results, false);
        Sweeps.Builder b = Sweeps.builder("Fréchet distance to real " + s.dataset().displayName)
                .parameter("arm", arms.stream().map(a -> a.shortLabel).toList()).yTitle("FD", Better.LOWER);
        for (float w : s.guidances()) {
            double[] mean = new double[arms.size()], err = new double[arms.size()];
            for (int i = 0; i < arms.size(); i++) {
                MeanSd m = stat(results, arms.get(i), r -> r.fdAt(w));
                mean[i] = m.mean();
                err[i] = m.n() > 1 ? m.sd() : stat(results, arms.get(i), r -> r.fdNoiseAt(w)).mean();
                if (!Double.isFinite(err[i])) err[i] = 0; // XChart cannot draw a NaN error bar
            }
            b.add(String.format(Locale.ROOT, "CFG %.1f", w), mean, err);
        }
        return b.bars().build();
    }

    public static Chart<?, ?> liveExperts(List<ProMoeArmResult> results) {
        Curves.Builder b = Curves.builder("Live routed experts (prototypes) during training: ≥ 1 token in the last window (first seed)").style(ARM_COLOURS)
                .xTitle("step").yTitle("live experts per MoE layer", Better.HIGHER);
        for (ProMoeArmResult r : firstSeed(results)) if (r.arm() != ProMoeExperiment.Arm.DENSE && r.liveExperts().length > 0) b.add(r.arm().label, r.checkpointSteps(), r.liveExperts());
        return b.build();
    }

    public static Chart<?, ?> expertByClass(ProMoeArmResult r) {
        List<String> experts = new ArrayList<>();
        for (int e = 0; e < r.expertByClass().length; e++) experts.add("E" + e);
        List<String> classes = r.dataset().shortClassNames(); // short: the axis is narrow
        return HeatMaps.builder("P(expert | class), last MoE layer, " + r.arm().label + " (routing probe)", r.expertByClass())
                .rowLabels(experts).columnLabels(classes).rowTitle("expert").columnTitle("class").valuePattern("0.00").range(0, 1).build();
    }

    /** One row per class of samples of one arm at CFG weight w. */
    public static BufferedImage sampleGrid(ProMoeArmResult r, float w) {
        float[][][] grid = r.grids().get(w);
        if (grid == null) throw new IllegalArgumentException("ProMoeReport: no samples at CFG " + w + " for " + r.arm().label + "; weights: " + r.grids().keySet());
        ImageGrid.Builder b = ImageGrid.builder(Shapes10.SIZE, Shapes10.SIZE).valueRange(-1, 1).scale(3);
        for (int c = 0; c < grid.length; c++) {
            if (grid[c].length > 0) b.row(r.dataset().classNames().get(c), grid[c]);
        }
        return b.build();
    }

    public static ExperimentReport report(List<ProMoeArmResult> results, ProMoeSettings settings) {
        Map<String, ResultsTable> tables = new LinkedHashMap<>();
        tables.put("summary", summary(results, settings));
        tables.put("runs", table(results, settings));
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put("loss", loss(results));
        if (!arms(results, true).isEmpty()) {
            charts.put("specialisation", specialisation(results));
            // an arm interrupted before its first checkpoint has no live-expert curve
            if (firstSeed(results).stream().anyMatch(r -> r.arm() != ProMoeExperiment.Arm.DENSE && r.liveExperts().length > 0)) {
                charts.put("liveExperts", liveExperts(results));
            }
        }
        // Interrupted arms measured nothing: no FD to draw when no arm has one.
        if (results.stream().anyMatch(r -> !r.fd().isEmpty())) charts.put("fd", fd(results, settings));
        for (ProMoeArmResult r : firstSeed(results)) {
            if (r.expertByClass().length > 0) charts.put("expertByClass:" + r.arm().name(), expertByClass(r));
        }
        return new ExperimentReport("ProMoE: explicit routing guidance in a rectified-flow DiT-tiny on " + settings.dataset().displayName + " (" + settings.steps() + " steps, "
                + settings.seeds().size() + " seed" + (settings.seeds().size() == 1 ? "" : "s") + ")", tables, charts, verdict(results, settings));
    }
}
