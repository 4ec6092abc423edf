package org.moelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.data.SeqTasks;
import org.moelab.report.ExperimentReport;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.viz.Better;
import org.moelab.viz.HeatMaps;
import org.moelab.viz.Sweeps;

/**
 * Turns the LoRA-Mixer arms into the paper's evidence: per-run and mean ± sd tables (per-task exact match, token
 * accuracy, routing accuracy, own-expert mass, parameter counts), the data-efficiency sweep over router N, the
 * task×expert matrices of SBL and aux-only routers (Fig. 4 analogue) and the claim verdict.
 */
public final class LoraMixerReport {
    static final String SBL = "LoRA-Mixer SBL top-", AUX = "LoRA-Mixer aux-only top-";
    /** "Approaches oracle": the mixer's macro exact match within this many points of oracle routing's. */
    static final double ORACLE_TOLERANCE = 0.05;

    private LoraMixerReport() {}

    public static ExperimentReport of(LoraMixerSettings s, List<LoraMixerArmResult> results) {
        Map<String, ResultsTable> tables = new LinkedHashMap<>();
        tables.put("summary", summary(s, results));
        tables.put("runs", runs(s, results));
        tables.put("dataEfficiency", dataEfficiency(results));
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        if (!rowsOf(results, SBL + s.topK()).isEmpty()) {
            charts.put("dataEfficiency", dataEfficiencyChart(s, results));
            charts.put("routingAccuracy", routingAccuracyChart(s, results));
            charts.put("taskByExpertSbl", taskByExpert(s, results, SBL + s.topK(), s.smallestN()));
        }
        if (!rowsOf(results, AUX + s.topK()).isEmpty()) charts.put("taskByExpertAux", taskByExpert(s, results, AUX + s.topK(), s.smallestN()));
        return new ExperimentReport("LoRA-Mixer: routed task LoRAs in attention vs multi-task LoRA, merges and oracle ("
                + s.seeds().size() + " seed" + (s.seeds().size() == 1 ? "" : "s") + ")", tables, charts, verdict(s, results));
    }

    public static ResultsTable runs(LoraMixerSettings s, List<LoraMixerArmResult> results) {
        List<String> columns = new ArrayList<>(List.of("arm", "seed", "router N", "macro EM", "macro token acc"));
        for (SeqTasks.Task t : s.tasks()) columns.add("EM " + t);
        columns.add("routing acc");
        int layers = results.stream().mapToInt(r -> r.scores().routingAccuracy().length).max().orElse(0);
        for (int l = 1; l <= layers; l++) columns.add("routing acc layer " + l);
        columns.addAll(List.of("own-expert mass", "max load", "trained params", "added params", "train s"));
        ResultsTable.Builder b = ResultsTable.builder(columns);
        for (LoraMixerArmResult r : results) {
            List<Object> row = new ArrayList<>(List.of(r.arm(), r.seed(), r.routerN(), r.scores().macroExactMatch(), r.scores().macroTokenAccuracy()));
            for (double em : r.scores().exactMatch()) row.add(em);
            row.add(r.scores().meanRoutingAccuracy());
            double[] perLayer = r.scores().routingAccuracy();
            for (int l = 0; l < layers; l++) row.add(l < perLayer.length ? perLayer[l] : Double.NaN); // NaN: an arm without a router
            row.addAll(List.of(r.scores().ownExpertMass(), r.scores().maxLoad(), r.trainable(), r.added(), r.seconds()));
            b.row(row.toArray());
        }
        return b.caption("Per run, on " + s.testPerTask() + " held-out examples per task: exact match (EM) of the answer, token accuracy, routing "
                + "accuracy (answer tokens whose top expert is their task's, mean over layers, then per layer), mean router mass on the task's own expert, "
                + "the largest expert's load share (1/E = balanced), parameters trained in the arm's last stage and added to the base").build();
    }

    /** Mean ± sd over seeds of the main arms at the largest router N (and the arms without a router). */
    public static ResultsTable summary(LoraMixerSettings s, List<LoraMixerArmResult> results) {
        List<String> values = new ArrayList<>(List.of("macro EM", "macro token acc"));
        for (SeqTasks.Task t : s.tasks()) values.add("EM " + t);
        values.addAll(List.of("routing acc", "own-expert mass", "max load", "trained params", "added params"));
        ResultsTable all = runs(s, results).filter(row -> row.number("router N") == 0 || row.number("router N") == s.largestN());
        return all.meanSd(List.of("arm"), values).highlightBest("macro EM", ResultsTable.Best.HIGHEST)
                .caption("Mean ± sd over seeds; routed arms at N = " + s.largestN() + " router examples; top-" + s.topK() + " of " + s.experts() + " renormalised at inference");
    }

    /** Macro EM, routing accuracy and own-expert mass of SBL and aux-only routers against N. */
    public static ResultsTable dataEfficiency(List<LoraMixerArmResult> results) {
        ResultsTable.Builder b = ResultsTable.builder("arm", "router N", "seed", "macro EM", "routing acc", "own-expert mass", "max load");
        for (LoraMixerArmResult r : results) {
            if (r.routerN() == 0 || !(r.arm().startsWith(SBL) || r.arm().startsWith(AUX) || r.arm().startsWith("LoRAHub"))) continue;
            b.row(r.arm(), r.routerN(), r.seed(), r.scores().macroExactMatch(), r.scores().meanRoutingAccuracy(), r.scores().ownExpertMass(), r.scores().maxLoad());
        }
        return b.build().meanSd(List.of("arm", "router N"), List.of("macro EM", "routing acc", "own-expert mass", "max load"))
                .caption("Data efficiency: router trained on N mixed examples (mean ± sd over seeds)");
    }

    private static Chart<?, ?> dataEfficiencyChart(LoraMixerSettings s, List<LoraMixerArmResult> results) {
        Sweeps.Builder b = Sweeps.builder("Macro exact match vs router training examples N").parameter("router N", s.routerSizes()).yTitle("macro exact match", Better.HIGHER);
        for (String arm : List.of(SBL + s.topK(), AUX + s.topK())) {
            if (!rowsOf(results, arm).isEmpty()) b.add(arm, byN(s, results, arm, r -> r.scores().macroExactMatch()));
        }
        // A run of selected arms (a sweep point) may lack the references: a line is drawn only for an arm that ran.
        for (String reference : List.of("oracle routing", "multi-task LoRA r=" + s.rank())) {
            if (!rowsOf(results, reference).isEmpty()) b.reference(reference, mean(results, reference, r -> r.scores().macroExactMatch()));
        }
        return b.build();
    }

    private static Chart<?, ?> routingAccuracyChart(LoraMixerSettings s, List<LoraMixerArmResult> results) {
        Sweeps.Builder b = Sweeps.builder("Routing accuracy and own-expert mass vs N").parameter("router N", s.routerSizes()).yTitle("share", Better.HIGHER);
        for (String arm : List.of(SBL + s.topK(), AUX + s.topK())) {
            if (rowsOf(results, arm).isEmpty()) continue;
            b.add(arm + ": routing acc", byN(s, results, arm, r -> r.scores().meanRoutingAccuracy()));
            b.add(arm + ": own-expert mass", byN(s, results, arm, r -> r.scores().ownExpertMass()));
        }
        b.reference("uniform (1/E)", 1.0 / s.experts());
        return b.build();
    }

    private static Chart<?, ?> taskByExpert(LoraMixerSettings s, List<LoraMixerArmResult> results, String arm, int n) {
        LoraMixerArmResult r = rowsOf(results, arm).stream().filter(x -> x.routerN() == n).findFirst().orElseThrow();
        List<String> tasks = s.tasks().stream().map(Enum::name).toList();
        List<String> experts = new ArrayList<>();
        for (int e = 0; e < s.experts(); e++) experts.add("E" + e + " (" + tasks.get(e) + " LoRA)");
        return HeatMaps.builder("Mean router probability per task, " + arm + ", N = " + n + " (answer tokens, mean over layers)", r.scores().taskByExpert())
                .rowLabels(tasks).columnLabels(experts).rowTitle("task").columnTitle("expert").valuePattern("0.00").range(0, 1).build();
    }

    public static Verdict verdict(LoraMixerSettings s, List<LoraMixerArmResult> results) {
        String mixer = SBL + s.topK();
        int big = s.largestN(), small = s.smallestN();
        double mixerEm = meanAt(results, mixer, big, r -> r.scores().macroExactMatch());
        double multiEm = mean(results, "multi-task LoRA r=" + s.rank(), r -> r.scores().macroExactMatch());
        double oracleEm = mean(results, "oracle routing", r -> r.scores().macroExactMatch());
        Verdict beats = Verdict.claim("LoRA-Mixer (SBL, top-" + s.topK() + ", N = " + big + ") beats multi-task LoRA of the same rank r = " + s.rank())
                .measured("LoRA-Mixer macro EM", mixerEm).measured("multi-task LoRA r macro EM", multiEm)
                .measured("multi-task LoRA E·r macro EM", mean(results, "multi-task LoRA r=" + Math.min(s.experts() * s.rank(), LoraMixerBase.D_MODEL), r -> r.scores().macroExactMatch()))
                .require("LoRA-Mixer macro EM − multi-task LoRA r macro EM > 2·SE = " + fmt(2 * standardError(s, mixerEm, multiEm)),
                        mixerEm - multiEm > 2 * standardError(s, mixerEm, multiEm)).build();
        Verdict approaches = Verdict.claim("LoRA-Mixer approaches oracle routing (within " + Math.round(ORACLE_TOLERANCE * 100) + " points of macro EM)")
                .measured("LoRA-Mixer macro EM", mixerEm).measured("oracle macro EM", oracleEm)
                .within("LoRA-Mixer macro EM", "oracle macro EM", ORACLE_TOLERANCE).build();
        double sblSmall = meanAt(results, mixer, small, r -> r.scores().macroExactMatch());
        double auxSmall = meanAt(results, AUX + s.topK(), small, r -> r.scores().macroExactMatch());
        Verdict scarce = Verdict.claim("With scarce router data (N = " + small + "), SBL beats the aux loss alone")
                .measured("SBL macro EM", sblSmall).measured("aux-only macro EM", auxSmall)
                .measured("SBL own-expert mass", meanAt(results, mixer, small, r -> r.scores().ownExpertMass()))
                .measured("aux-only own-expert mass", meanAt(results, AUX + s.topK(), small, r -> r.scores().ownExpertMass()))
                .require("SBL macro EM − aux-only macro EM > 2·SE = " + fmt(2 * standardError(s, sblSmall, auxSmall)),
                        sblSmall - auxSmall > 2 * standardError(s, sblSmall, auxSmall)).build();
        return Verdict.all("Routed task LoRAs in attention beat multi-task LoRA, approach oracle routing, and SBL helps when router data is scarce",
                beats, approaches, scarce);
    }

    /**
     * Standard error of the difference of two exact-match rates, each over the whole test set of every seed: "beats"
     * must exceed twice it, so a difference of one or two test examples is not read as an effect.
     */
    static double standardError(LoraMixerSettings s, double a, double b) {
        double n = (double) s.testPerTask() * s.experts() * s.seeds().size();
        return Math.sqrt((a * (1 - a) + b * (1 - b)) / n);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static List<LoraMixerArmResult> rowsOf(List<LoraMixerArmResult> results, String arm) {
        return results.stream().filter(r -> r.arm().equals(arm)).toList();
    }

    private static double[] byN(LoraMixerSettings s, List<LoraMixerArmResult> results, String arm, ToDoubleFunction<LoraMixerArmResult> f) {
        return s.routerSizes().stream().mapToDouble(n -> meanAt(results, arm, n, f)).toArray();
    }

    static double mean(List<LoraMixerArmResult> results, String arm, ToDoubleFunction<LoraMixerArmResult> f) {
        return results.stream().filter(r -> r.arm().equals(arm)).mapToDouble(f).average().orElse(Double.NaN);
    }

    static double meanAt(List<LoraMixerArmResult> results, String arm, int n, ToDoubleFunction<LoraMixerArmResult> f) {
        return results.stream().filter(r -> r.arm().equals(arm) && r.routerN() == n).mapToDouble(f).average().orElse(Double.NaN);
    }

    /** The arm names in the order they first appear. */
    static Set<String> arms(List<LoraMixerArmResult> results) {
        Set<String> out = new LinkedHashSet<>();
        results.forEach(r -> out.add(r.arm()));
        return out;
    }
}
