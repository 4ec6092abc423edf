package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.data.SeqTasks;
import org.moelab.models.CausalTransformer;
import org.moelab.report.ExperimentReport;
import org.moelab.tensor.Rng;
import org.moelab.train.Checkpoint;

/** The shipped COPY base, its shape-checked loading, and a miniature run of the whole LoRA-Mixer study. */
class LoraMixerExperimentTest {

    @Test
    void shippedBaseCopiesButCannotDoTheTasks() {
        CausalTransformer base = LoraMixerBase.shipped();
        SeqTasks copy = SeqTasks.builder().tasks(SeqTasks.Task.COPY).build();
        LoraMixerScores copyScores = LoraMixerScores.of(b -> new LoraMixerScores.Prediction(base.forward(b.inputs(), b.rows(), b.length()), List.of()),
                copy.generate(100, new Rng(3)), 1, 1);
        assertTrue(copyScores.macroExactMatch() > 0.9, "the base must have learnt COPY: " + copyScores.macroExactMatch());
        LoraMixerExperiment study = new LoraMixerExperiment(LoraMixerSettings.quick());
        assertTrue(study.baseScores().macroExactMatch() < 0.05, "the base must not already solve the tasks");
    }

    @Test
    void baseWeightsOfTheWrongShapeFailClearlyAndChangeNothing() {
        CausalTransformer model = LoraMixerBase.architecture(1);
        var before = model.stateDict();
        CausalTransformer wider = CausalTransformer.builder().vocab(SeqTasks.VOCAB).dModel(32).heads(4).layers(2).maxLen(20).seed(1).build();
        Checkpoint wrong = Checkpoint.of(0, Map.of(), null, wider, null);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> wrong.restoreInto(model, null));
        assertTrue(e.getMessage().contains("embed.weight"), e.getMessage());
        var after = model.stateDict();
        before.forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, after.get(k), k));
    }

    @Test
    void thePlacementSettingPlacesEveryArmsAdapters() {
        LoraMixerSettings s = SettingsCodec.with(LoraMixerSettings.quick(), "stage1Steps", 1, "placement", org.moelab.models.LoraMixer.Placement.FEED_FORWARD);
        LoraMixerExperiment study = new LoraMixerExperiment(s);
        var experts = study.trainExperts(s.placement(), 1);
        assertEquals(org.moelab.models.LoraMixer.Placement.FEED_FORWARD, experts.placement());
        assertEquals(org.moelab.models.LoraMixer.Placement.FEED_FORWARD, study.trainMultiTask(study.parameterMatchedRank(), 1).placement());
        assertEquals(org.moelab.models.LoraMixer.Placement.FEED_FORWARD, study.routed(experts, org.moelab.models.LoraMixer.RouterLoss.SBL, 1f, 1).placement());
        assertEquals(org.moelab.models.LoraMixer.Placement.FEED_FORWARD, study.mixer(1).build().placement());
        assertEquals(org.moelab.models.LoraMixer.Placement.ATTENTION, LoraMixerSettings.quick().placement(), "the presets keep the paper's placement");
    }

    @Test
    void miniatureStudyProducesEveryArmTablesChartsAndAComputedVerdict() {
        LoraMixerSettings s = SettingsCodec.with(LoraMixerSettings.quick(), "stage1Steps", 20, "routerSteps", 10, "routerSizes", List.of(16, 48));
        LoraMixerExperiment study = new LoraMixerExperiment(s);
        List<LoraMixerArmResult> results = new ArrayList<>();
        assertTrue(study.runSeed(1, results));
        List<String> arms = results.stream().map(LoraMixerArmResult::arm).distinct().toList();
        for (String arm : List.of("base", "multi-task LoRA r=" + s.rank(), "multi-task LoRA r=" + study.parameterMatchedRank(), "oracle routing",
                "uniform merge", "LoRA-Mixer SBL top-" + s.topK(), "LoRA-Mixer aux-only top-" + s.topK(), "LoRAHub-like global weights")) {
            assertTrue(arms.contains(arm), arm + " missing from " + arms);
        }
        LoraMixerArmResult sbl = results.stream().filter(r -> r.arm().startsWith("LoRA-Mixer SBL top-") && r.routerN() == 16).findFirst().orElseThrow();
        assertEquals(s.experts(), sbl.scores().taskByExpert().length);
        double rowSum = 0;
        for (double v : sbl.scores().taskByExpert()[0]) rowSum += v;
        assertEquals(1.0, rowSum, 1e-4, "a task's router probabilities sum to 1");
        assertEquals(study.base().blocks().size(), sbl.scores().routingAccuracy().length);
        ExperimentReport report = study.report(results);
        assertTrue(report.tableNames().containsAll(List.of("summary", "runs", "dataEfficiency")));
        assertTrue(report.chartNames().containsAll(List.of("dataEfficiency", "taskByExpertSbl", "taskByExpertAux")));
        double mixer = LoraMixerReport.meanAt(results, "LoRA-Mixer SBL top-" + s.topK(), 48, r -> r.scores().macroExactMatch());
        double multi = LoraMixerReport.mean(results, "multi-task LoRA r=" + s.rank(), r -> r.scores().macroExactMatch());
        assertEquals(mixer - multi > 2 * LoraMixerReport.standardError(s, mixer, multi), report.verdict().parts().get(0).holds(),
                "the first sub-claim follows the measured numbers");
    }

    /**
     * A sweep point trains one arm of one seed: every arm alone (seed 2 only, stage 1 retrained for it) must give
     * bit for bit the rows it gives in a run of every arm and both seeds, and the arms together must give exactly the
     * full run's rows; each arm alone is reported (a sweep point reads its runs table).
     */
    @Test
    void eachArmAloneGivesTheBitsItGivesAmongTheOthers() {
        LoraMixerSettings all = SettingsCodec.with(LoraMixerSettings.quick(), "stage1Examples", 32, "stage1Steps", 6, "routerSteps", 3,
                "routerSizes", List.of(16, 32), "testPerTask", 6, "seeds", List.of(1L, 2L), "globalWeightsAtEveryN", true, "arms", List.of(LoraMixerExperiment.Arm.values()));
        List<String> together = new LoraMixerExperiment(all).runAll().stream().filter(r -> r.seed() == 2).map(LoraMixerExperimentTest::bits).toList();
        List<String> alone = new ArrayList<>();
        for (LoraMixerExperiment.Arm arm : LoraMixerExperiment.Arm.values()) {
            LoraMixerExperiment study = new LoraMixerExperiment(SettingsCodec.with(all, "seeds", List.of(2L), "arms", List.of(arm)));
            List<LoraMixerArmResult> results = study.runAll();
            List<String> rows = results.stream().map(LoraMixerExperimentTest::bits).toList();
            assertFalse(rows.isEmpty(), arm + " adds no row");
            assertEquals(rows.size(), study.report(results).table("runs").rowCount(), arm + " alone is reported, one runs row per result");
            for (String row : rows) assertTrue(together.contains(row), arm + " alone gave\n" + row + "\nnot among the rows of every arm:\n" + String.join("\n", together));
            alone.addAll(rows);
        }
        assertEquals(together.stream().sorted().toList(), alone.stream().sorted().toList(), "the arms alone give every row of the full run, once");
    }

    @Test
    void anUnknownArmNamesTheSettingAndTheArms() {
        var values = SettingsCodec.toMap(LoraMixerSettings.quick());
        values.put("arms", "SBL,NOPE");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingsCodec.fromMap(LoraMixerSettings.class, values));
        for (String part : List.of("arms", "NOPE", "MULTI_TASK_LORA", "SOFT_AND_OTHER_TOP_K")) assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SettingsCodec.with(LoraMixerSettings.quick(), "arms", "SBL,SBL"));
        assertTrue(e.getMessage().contains("arms") && e.getMessage().contains("at most once"), e.getMessage());
    }

    /** Everything of a row but its wall-clock seconds, with every double's exact bits. */
    private static String bits(LoraMixerArmResult r) {
        LoraMixerScores s = r.scores();
        return String.join(" | ", r.arm(), "seed " + r.seed(), "N " + r.routerN(), "trained " + r.trainable(), "added " + r.added(), exact(s.exactMatch()),
                exact(s.tokenAccuracy()), exact(s.routingAccuracy()), s.taskByExpert() == null ? "-" : Arrays.stream(s.taskByExpert()).map(LoraMixerExperimentTest::exact).toList().toString(),
                s.load() == null ? "-" : exact(s.load()));
    }

    private static String exact(double[] values) {
        return Arrays.stream(values).mapToObj(v -> Long.toHexString(Double.doubleToRawLongBits(v))).toList().toString();
    }
}
