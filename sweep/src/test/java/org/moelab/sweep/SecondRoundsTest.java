package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each pre-registered second-round sweep is a valid plan, decides every rule of its paper, and is the command its page shows. */
class SecondRoundsTest {
    @Test
    void everyPlanValidatesAndHasTheArmsItsRulesCompare() {
        assertEquals(List.of("evomoe", "smoe-dropout"), SecondRounds.papers());
        for (String paper : SecondRounds.papers()) {
            SweepPlan plan = SecondRounds.plan(paper, List.of("--master", "local[1]")).orElseThrow();
            plan.validate();
            assertTrue(plan.tuning(), paper + ": a second round tunes every arm");
            assertTrue(plan.seeds().size() >= 5, paper + ": at least 5 report seeds");
            assertEquals("local[1]", plan.master(), "extra options are appended");
            assertFalse(PlanVerdicts.rules(paper).isEmpty(), paper);
            for (PlanRule rule : PlanVerdicts.rules(paper)) {
                assertTrue(plan.arms().contains(rule.arm()) && plan.arms().contains(rule.baseline()), paper + " rule " + rule.id() + ": " + rule.arm() + " vs " + rule.baseline());
            }
        }
        assertTrue(SecondRounds.plan("mom", List.of()).isEmpty(), "no plan registered for mom yet");
    }

    @Test
    void eachPageShowsTheRegisteredCommand() throws IOException {
        for (String paper : SecondRounds.papers()) {
            String page = Files.readString(Path.of("..", "papers", paper + ".md")).replace("\\\n", " ").replaceAll("[ \\t]+", " ");
            String command = SecondRounds.command(paper).orElseThrow();
            assertTrue(page.contains(command), "papers/" + paper + ".md should show " + command);
        }
    }
}
