package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moelab.lab.Interrupts;

/** The one seeds × arms loop: fixed order, and an interrupt stops before the next arm keeping what finished. */
class ExperimentRunnerTest {

    @AfterEach
    void clearInterrupt() {
        Interrupts.clear();
    }

    record Ran(String arm, long seed) implements ExperimentRunner.ArmRun<String> {
        public org.moelab.train.Run run() {
            return null;
        }

        public Object model() {
            return null;
        }
    }

    @Test
    void firstSeedKeepsTheRunsOfTheSeedThatRanFirst() {
        List<Ran> runs = List.of(new Ran("a", 7), new Ran("b", 7), new Ran("a", 3), new Ran("b", 3));
        assertEquals(List.of(new Ran("a", 7), new Ran("b", 7)), ExperimentRunner.firstSeed(runs));
        assertEquals(List.of(), ExperimentRunner.firstSeed(List.<Ran>of()));
    }

    @Test
    void runsEveryArmForEverySeedSeedsOuter() {
        List<String> order = ExperimentRunner.seedsTimesArms(List.of(1L, 2L), List.of("a", "b", "c"), (arm, seed) -> arm + seed);
        assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "c2"), order);
    }

    @Test
    void anInterruptKeepsTheFinishedArmsAndRunsNoMore() {
        List<String> ran = new ArrayList<>();
        List<String> results = ExperimentRunner.seedsTimesArms(List.of(1L, 2L), List.of("a", "b"), (arm, seed) -> {
            ran.add(arm + seed);
            if (ran.size() == 3) Interrupts.request();
            return arm + seed;
        });
        assertEquals(List.of("a1", "b1", "a2"), results);
        assertEquals(results, ran);
    }

    @Test
    void perSeedStopsAtTheFirstSeedThatReportsAnInterrupt() {
        List<Long> seen = new ArrayList<>();
        ExperimentRunner.perSeed(List.of(1L, 2L, 3L), seed -> {
            seen.add(seed);
            return seed < 2;
        });
        assertEquals(List.of(1L, 2L), seen);
    }
}
