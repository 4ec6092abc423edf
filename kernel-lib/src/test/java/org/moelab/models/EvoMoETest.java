package org.moelab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.data.Batch;
import org.moelab.data.MixLm4;
import org.moelab.moe.DenseToSparseGate;
import org.moelab.moe.Experts;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.Rng;
import org.moelab.train.AdamW;

class EvoMoETest {
    static EvoMoE.Builder small() {
        return EvoMoE.builder().vocab(MixLm4.VOCAB).dModel(16).heads(2).hidden(24).experts(4).totalSteps(100).seed(3);
    }

    @Test
    void temperatureScheduleHitsItsEndpointsOffsetByPhaseA() {
        EvoMoE m = small().phaseA(0.2f).sparse(0.5f).temperatures(2f, 0.3f).build();
        assertEquals(20, m.phaseAEnd());
        assertEquals(70, m.sparseEnd());
        assertEquals(2.0, m.temperatureAt(0), 1e-6);
        assertEquals(2.0, m.temperatureAt(20), 1e-6);
        assertEquals(1.15, m.temperatureAt(45), 1e-6);
        assertEquals(0.3, m.temperatureAt(70), 1e-6);
        assertEquals(0.3, m.temperatureAt(99), 1e-6);
        assertEquals("A", m.phaseAt(19));
        assertEquals("B-dense-to-sparse", m.phaseAt(20));
        assertEquals("B-top-1", m.phaseAt(70));
    }

    @Test
    void maskRatioZeroSpawnsIdenticalExpertsAndMaskingDiversifies() {
        for (EvoMoE.Spawn spawn : EvoMoE.Spawn.values()) {
            EvoMoE m = small().spawn(spawn).maskRatio(0.5f).build();
            Experts ex = m.languageModel().moeLayers().get(0).experts();
            float[] base = ex.expert(0).w1().data().clone();
            m.spawn(null);
            for (int e = 0; e < 4; e++) {
                float[] w = ex.expert(e).w1().data();
                if (spawn == EvoMoE.Spawn.COPY) {
                    assertArrayEquals(base, w);
                    assertArrayEquals(ex.expert(0).w2().data(), ex.expert(e).w2().data());
                } else {
                    assertFalse(java.util.Arrays.equals(base, w), spawn + " expert " + e);
                }
                if (spawn == EvoMoE.Spawn.MASK) {
                    int zeros = 0;
                    for (int i = 0; i < w.length; i++) {
                        if (w[i] == 0) zeros++;
                        else assertEquals(base[i], w[i]);
                    }
                    assertEquals(0.5, zeros / (double) w.length, 0.1);
                }
            }
        }
    }

    @Test
    void phaseAUsesOneExpertThenTheDtsGateGoesDenseToSparse() {
        EvoMoE m = small().build();
        MixLm4 data = new MixLm4(1);
        AdamW opt = AdamW.builder(m.module()).learningRate(1e-3f).build();
        Batch b = data.trainingBatch(0, 4);
        m.beforeStep(0, opt);
        RoutingContext first = RoutingContext.training(0, new Rng(1));
        m.loss(b, first).backward();
        assertEquals(1.0, m.activeExpertsPerToken(first));
        assertFalse(m.spawned());
        m.beforeStep(20, opt);
        assertTrue(m.spawned());
        RoutingContext dense = RoutingContext.training(20, new Rng(2));
        m.loss(b, dense);
        assertTrue(m.activeExpertsPerToken(dense) > 3.5, "tau 2 is dense: " + m.activeExpertsPerToken(dense));
        m.beforeStep(80, opt);
        RoutingContext sparse = RoutingContext.training(80, new Rng(3));
        m.loss(b, sparse);
        assertEquals(1.0, m.activeExpertsPerToken(sparse));
        double flops = m.expertFlops(sparse, b.positions());
        assertEquals(3.0 * 4 * 16 * 24 * b.positions(), flops, 1e-6);
    }

    @Test
    void spawnResetsTheOptimizerMomentsOfExpertsOnly() {
        EvoMoE m = small().build();
        AdamW opt = AdamW.builder(m.module()).learningRate(1e-3f).build();
        Batch b = new MixLm4(1).trainingBatch(0, 4);
        m.loss(b, RoutingContext.training(0, new Rng(1))).backward();
        opt.step();
        m.beforeStep(20, opt);
        var state = opt.state();
        String expert = state.keySet().stream().filter(k -> k.startsWith("exp_avg.") && k.contains("experts.0.w1")).findFirst().orElseThrow();
        String head = state.keySet().stream().filter(k -> k.startsWith("exp_avg.") && k.contains("head")).findFirst().orElseThrow();
        for (float v : state.get(expert)) assertEquals(0f, v);
        double headSum = 0;
        for (float v : state.get(head)) headSum += Math.abs(v);
        assertTrue(headSum > 0, "shared parameters keep their moments");
    }

    @Test
    void builderValidationNamesTheProblem() {
        assertMessage("experts must be >= 2", () -> small().experts(1).build());
        assertMessage("temperatures must be > 0", () -> small().temperatures(2f, 0f).build());
        assertMessage("phaseA must be in (0, 1)", () -> small().phaseA(0f).build());
        assertMessage("sparse must be in (0, 1)", () -> small().sparse(1f).build());
        assertMessage("phaseA + sparse must be <= 1", () -> small().phaseA(0.6f).sparse(0.5f).build());
        assertMessage("vocab", () -> EvoMoE.builder().build());
    }

    @Test
    void baselinesBuildAndTrainAStep() {
        for (EvoMoE.Arm arm : EvoMoE.Arm.values()) {
            EvoMoE m = small().arm(arm).combine(DenseToSparseGate.Combine.SOFTMAX).build();
            Batch b = new MixLm4(2).trainingBatch(1, 2);
            RoutingContext pass = RoutingContext.training(0, new Rng(1));
            double loss = m.loss(b, pass).item();
            assertTrue(Double.isFinite(loss) && loss > 2 && loss < 5, arm + " " + loss);
            double expected = switch (arm) { case DENSE_MOE -> 4; default -> 1; };
            if (arm != EvoMoE.Arm.SWITCH) assertEquals(expected, m.activeExpertsPerToken(pass), 1e-9, arm.name());
        }
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
