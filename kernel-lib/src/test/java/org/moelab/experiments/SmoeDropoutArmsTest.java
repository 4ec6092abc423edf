package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.lab.Preset;
import org.moelab.models.SmoeDropout;
import org.moelab.report.ResultsTable;

/**
 * The {@code arms} setting of SMoE-Dropout: the presets keep every arm in the order they always trained, and one arm
 * trained alone gives the bits it gives among the others (what lets a sweep train one arm per point).
 */
class SmoeDropoutArmsTest {
    /** The quick preset cut to a one-block model of a few steps. */
    private static ExperimentSpec tiny() {
        ExperimentSpec s = Papers.spec("smoe-dropout", Preset.QUICK);
        String[][] sizes = {{"steps", "4"}, {"batch", "2"}, {"context", "16"}, {"dModel", "16"}, {"layers", "1"}, {"heads", "2"},
                {"experts", "4"}, {"hidden", "32"}, {"kMin", "1"}, {"validationBatches", "1"}};
        for (String[] kv : sizes) s = s.with(kv[0], kv[1]);
        return s;
    }

    @Test
    void presetsKeepEveryArmInTheirOrder() {
        assertEquals(SmoeDropoutExperiment.ARMS, SmoeDropoutSettings.quick().arms());
        assertEquals(SmoeDropoutExperiment.ARMS, SmoeDropoutSettings.full().arms());
        assertEquals(List.of("DENSE", "LEARNED", "SMOE_DROPOUT", "FROZEN_FIXED_K"), Papers.spec("smoe-dropout", Preset.QUICK).arms());
    }

    @Test
    void oneArmAloneGivesTheBitsItGivesAmongTheOthers() {
        ResultsTable all = Papers.run(tiny()).table("runs");
        for (SmoeDropout.Arm arm : List.of(SmoeDropout.Arm.DENSE, SmoeDropout.Arm.SMOE_DROPOUT)) {
            ResultsTable alone = Papers.run(tiny().with("arms", arm.name())).table("runs");
            String label = SmoeDropoutReport.name(arm);
            assertTrue(alone.rowCount() > 0, label);
            assertEquals(alone.rowCount(), alone.where("arm", label).rowCount(), label + " trained alone");
            assertArrayEquals(all.where("arm", label).column("valid BPC"), alone.where("arm", label).column("valid BPC"), 0.0, label);
        }
    }
}
