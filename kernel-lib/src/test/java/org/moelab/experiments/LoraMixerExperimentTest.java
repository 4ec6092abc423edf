package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.data.SeqTasks;
import org.moelab.nn.CausalTransformer;
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
        LoraMixerMultiTask study = new LoraMixerMultiTask(LoraMixerSettings.quick());
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
    void miniatureStudyProducesEveryArmTablesChartsAndAComputedVerdict() {
        LoraMixerSettings s = SettingsCodec.with(LoraMixerSettings.quick(), "stage1Steps", 20, "routerSteps", 10, "routerSizes", List.of(16, 48));
        LoraMixerMultiTask study = new LoraMixerMultiTask(s);
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
}
