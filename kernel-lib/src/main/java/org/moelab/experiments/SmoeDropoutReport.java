package org.moelab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.models.SmoeDropout;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.viz.Better;
import org.moelab.viz.ChartStyle;
import org.moelab.viz.Curves;
import org.moelab.viz.HeatMaps;
import org.moelab.viz.Sweeps;

/**
 * Turns the SMoE-Dropout arms' measurements into the paper's evidence: the results table (mean ± sd over seeds),
 * the self-slimmable chart (BPC against k), loss curves, the k schedule, the expert load, and the claim verdict.
 */
public final class SmoeDropoutReport {
    /** Tolerance for "reaches dense quality at k = N", in bits per character. */
    public static final double DENSE_TOLERANCE_BPC = 0.05;
    /** How much a learned router may gain past its training k and still count as "not improving". */
    public static final double LEARNED_IMPROVEMENT_TOLERANCE_BPC = 0.01;

    private SmoeDropoutReport() {}

    public static ResultsTable table(List<SmoeDropoutArmResult> results) {
        ResultsTable.Builder b = ResultsTable.builder("arm", "seed", "k", "valid BPC", "train s", "parameters");
        for (SmoeDropoutArmResult r : results) {
            r.bpcByK().forEach((k, bpc) -> b.row(name(r.arm()), r.seed(), r.arm() == SmoeDropout.Arm.DENSE ? "all" : String.valueOf(k), bpc, r.trainSeconds(), r.parameters()));
        }
        return b.caption("Validation bits per character by arm, seed and active experts k").build();
    }

    public static ResultsTable summary(List<SmoeDropoutArmResult> results) {
        return table(results).meanSd(List.of("arm", "k"), List.of("valid BPC", "train s"))
                .caption("Mean ± sd over seeds");
    }

    /** Mean BPC over seeds of one arm at k (k ignored for dense). */
    public static double meanBpc(List<SmoeDropoutArmResult> results, SmoeDropout.Arm arm, int k) {
        // an arm the user interrupted was not evaluated: no BPC
        return results.stream().filter(r -> r.arm() == arm && !r.bpcByK().isEmpty())
                .mapToDouble(r -> arm == SmoeDropout.Arm.DENSE ? r.bpcByK().values().iterator().next() : r.bpcByK().getOrDefault(k, Double.NaN))
                .average().orElse(Double.NaN);
    }

    public static Verdict verdict(List<SmoeDropoutArmResult> results, int[] ks) {
        int n = ks[ks.length - 1];
        Verdict.Builder mono = Verdict.claim("SMoE-Dropout's validation BPC decreases monotonically as more experts are activated");
        String[] names = new String[ks.length];
        for (int i = 0; i < ks.length; i++) {
            names[i] = "SMoE-Dropout BPC at k=" + ks[i];
            mono.measured(names[i], meanBpc(results, SmoeDropout.Arm.SMOE_DROPOUT, ks[i]));
        }
        Verdict monotone = mono.decreasing(names).build();

        Verdict dense = Verdict.claim("At k = N it reaches the quality of the dense model with the same parameters")
                .measured("SMoE-Dropout BPC at k=" + n, meanBpc(results, SmoeDropout.Arm.SMOE_DROPOUT, n))
                .measured("dense BPC", meanBpc(results, SmoeDropout.Arm.DENSE, n))
                .within("SMoE-Dropout BPC at k=" + n, "dense BPC", DENSE_TOLERANCE_BPC).build();

        double atTrainingK = meanBpc(results, SmoeDropout.Arm.LEARNED, 2);
        double bestBeyond = Arrays.stream(ks).filter(k -> k > 2).mapToDouble(k -> meanBpc(results, SmoeDropout.Arm.LEARNED, k)).min().orElse(Double.NaN);
        Verdict learned = Verdict.claim("A learned router trained at k = 2 does not keep improving when more experts are activated")
                .measured("learned BPC at k=2", atTrainingK)
                .measured("learned best BPC at k>2", bestBeyond)
                .require("learned best BPC at k>2 ≥ learned BPC at k=2 − " + LEARNED_IMPROVEMENT_TOLERANCE_BPC,
                        bestBeyond >= atTrainingK - LEARNED_IMPROVEMENT_TOLERANCE_BPC).build();
        return Verdict.all("SMoE-Dropout is self-slimmable; a learned router is not", monotone, dense, learned);
    }

    public static Chart<?, ?> selfSlimmingChart(List<SmoeDropoutArmResult> results, int[] ks) {
        List<Integer> kList = Arrays.stream(ks).boxed().toList();
        Sweeps.Builder b = Sweeps.builder("Self-slimming: validation BPC vs experts active at inference").style(ARM_COLOURS)
                .parameter("k (active experts)", kList).yTitle("validation bits per character", Better.LOWER);
        for (SmoeDropout.Arm arm : List.of(SmoeDropout.Arm.SMOE_DROPOUT, SmoeDropout.Arm.LEARNED, SmoeDropout.Arm.FROZEN_FIXED_K)) {
            double[] mean = Arrays.stream(ks).mapToDouble(k -> meanBpc(results, arm, k)).toArray();
            if (Arrays.stream(mean).allMatch(Double::isNaN)) continue;
            b.add(name(arm), mean);
        }
        double dense = meanBpc(results, SmoeDropout.Arm.DENSE, ks[ks.length - 1]);
        // A run without the dense arm (a sweep's point trains one arm) has no reference line to draw.
        if (!Double.isNaN(dense)) b.reference("dense", dense);
        return b.build();
    }

    public static Chart<?, ?> lossChart(List<SmoeDropoutArmResult> results) {
        Curves.Builder b = Curves.builder("Training loss (first seed)").style(ARM_COLOURS).xTitle("step").yTitle("cross-entropy (nats)", Better.LOWER).smoothing(0.9);
        for (SmoeDropoutArmResult r : ExperimentRunner.firstSeed(results)) b.add(name(r.arm()), r.run().history().stepNumbers(), r.run().history().losses());
        return b.build();
    }

    public static Chart<?, ?> kScheduleChart(SmoeDropout model, int steps) {
        int points = Math.min(steps, 200);
        double[] x = new double[points + 1], y = new double[points + 1];
        for (int i = 0; i <= points; i++) {
            x[i] = (double) i * steps / points;
            y[i] = model.kAt((long) x[i]);
        }
        return Curves.builder("k schedule (linear, as the reference's linear_increase)").xTitle("training step").yTitle("active experts k", Better.NEITHER)
                .add("k", x, y).build();
    }

    public static Chart<?, ?> loadHeatMap(List<SmoeDropoutArmResult> results) {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (SmoeDropoutArmResult r : ExperimentRunner.firstSeed(results)) {
            if (r.expertShare().length == 0) continue;
            rows.add(r.expertShare());
            labels.add(name(r.arm()));
        }
        int experts = rows.get(0).length;
        List<String> cols = new ArrayList<>();
        for (int e = 0; e < experts; e++) cols.add("E" + e);
        return HeatMaps.builder("Share of routed tokens per expert (validation, training k)", rows.toArray(new double[0][]))
                .rowLabels(labels).columnLabels(cols).rowTitle("arm").columnTitle("expert").valuePattern("0.00").build();
    }

    public static ExperimentReport report(List<SmoeDropoutArmResult> results, SmoeDropoutSettings settings, SmoeDropout scheduleModel) {
        int[] ks = settings.evaluationKs();
        Map<String, ResultsTable> tables = new LinkedHashMap<>();
        tables.put("summary", summary(results));
        tables.put("runs", table(results));
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        // A run of the dense arm alone (a sweep's point) has no routed curve or expert load to draw.
        boolean routed = results.stream().anyMatch(r -> r.arm() != SmoeDropout.Arm.DENSE && !r.bpcByK().isEmpty());
        if (routed) charts.put("selfSlimming", selfSlimmingChart(results, ks));
        charts.put("loss", lossChart(results));
        charts.put("kSchedule", kScheduleChart(scheduleModel, settings.steps()));
        if (routed) charts.put("load", loadHeatMap(results));
        return new ExperimentReport("SMoE-Dropout: self-slimmable transformers (" + settings.steps() + " steps, "
                + settings.seeds().size() + " seed" + (settings.seeds().size() == 1 ? "" : "s") + ")", tables, charts, verdict(results, ks));
    }

    /** Every chart of this experiment gives an arm the same colour. */
    private static final ChartStyle ARM_COLOURS = ChartStyle.HOUSE.withArms(java.util.Arrays.stream(SmoeDropout.Arm.values()).map(SmoeDropoutReport::name).toList());

    static String name(SmoeDropout.Arm arm) {
        return switch (arm) {
            case DENSE -> "dense";
            case LEARNED -> "learned k=2";
            case SMOE_DROPOUT -> "SMoE-Dropout";
            case FROZEN_FIXED_K -> "frozen k=2";
        };
    }
}
