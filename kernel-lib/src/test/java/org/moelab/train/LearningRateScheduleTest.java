package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Tensor;

/** Schedules hit their endpoints and stay there. */
class LearningRateScheduleTest {
    @Test
    void fivePercentWarmupIsAtLeastOneStepAndShorterThanTheRun() {
        assertEquals(0, LearningRateSchedule.fivePercentWarmup(1));
        assertEquals(1, LearningRateSchedule.fivePercentWarmup(2));
        assertEquals(1, LearningRateSchedule.fivePercentWarmup(39));
        assertEquals(75, LearningRateSchedule.fivePercentWarmup(1500));
        LearningRateSchedule.cosine(1f, LearningRateSchedule.fivePercentWarmup(1), 1, 0f); // a one-step run has a valid schedule
    }

    @Test
    void constantIsConstant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.3f);
        assertEquals(0.3f, s.at(0));
        assertEquals(0.3f, s.at(1_000_000));
    }

    @Test
    void warmupRisesLinearlyToThePeak() {
        LearningRateSchedule s = LearningRateSchedule.linearWarmup(1f, 10);
        assertEquals(0f, s.at(0));
        assertEquals(0.5f, s.at(5), 1e-7f);
        assertEquals(1f, s.at(10));
        assertEquals(1f, s.at(500));
        assertEquals(2f, LearningRateSchedule.linearWarmup(2f, 0).at(0));
    }

    @Test
    void cosineWarmsUpThenDecaysToTheFloor() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1f, 10, 110, 0.1f);
        assertEquals(0f, s.at(0));
        assertEquals(1f, s.at(10), 1e-7f);
        assertEquals(0.55f, s.at(60), 1e-6f);
        assertEquals(0.1f, s.at(110), 1e-7f);
        assertEquals(0.1f, s.at(10_000), 1e-7f);
        for (int step = 10; step < 110; step++) assertTrue(s.at(step + 1) <= s.at(step), "decreasing at " + step);
    }

    @Test
    void applyToSetsTheOptimizersRate() {
        SGD opt = new SGD(Map.of("w", Tensor.zeros(1).requiresGrad(true)), 1f, 0f);
        assertEquals(0.25f, LearningRateSchedule.linearWarmup(1f, 4).applyTo(opt, 1));
        assertEquals(0.25f, opt.learningRate());
    }

    @Test
    void invalidSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1f, 10, 10, 0f));
        assertEquals("LearningRateSchedule.cosine: need 0 <= warmupSteps < totalSteps, got warmupSteps=10, totalSteps=10", e.getMessage());
        IllegalArgumentException min = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1f, 0, 10, 0.2f));
        assertEquals("LearningRateSchedule.cosine: minLr must be <= peak, got minLr=0.2, peak=0.1", min.getMessage());
    }
}
