package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code %%moe sweep} cell form means what the same options on one line mean. */
class SweepPlanCellTest {
    @Test
    void keyValueLinesAreTheLineOptions() {
        SweepPlan line = SweepPlan.parse(List.of("mom", "--seeds", "1..2", "--set", "steps=6", "--set", "batch=4", "--grid", "lr=0.01,0.02",
                "--master", "spark://127.0.0.1:7077"));
        SweepPlan cell = SweepPlan.parseCell(List.of(), "paper: mom\n# a comment\n\nseeds: 1..2\nset: steps=6\nset: batch=4\ngrid: lr=0.01,0.02\n"
                + "master: spark://127.0.0.1:7077\n");
        assertEquals(line, cell);
        assertEquals(line, SweepPlan.parseCell(List.of("mom", "--seeds", "1..2"), "set: steps=6\nset: batch=4\ngrid: lr=0.01,0.02\nmaster: spark://127.0.0.1:7077"));
    }

    @Test
    void aLineWithoutAColonOrASecondPaperIsRejectedWithItsNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.parseCell(List.of(), "paper: mom\nseeds 1..2"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("key: value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.parseCell(List.of("mom"), "paper: evomoe"));
        assertTrue(e.getMessage().contains("already named (mom)"), e.getMessage());
    }
}
