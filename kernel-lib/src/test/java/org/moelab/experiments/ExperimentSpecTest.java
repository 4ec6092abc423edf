package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.moelab.lab.Preset;

/** Experiments as data: every paper's spec round-trips through text, hashes stably, and rebuilds its settings. */
class ExperimentSpecTest {

    @Test
    void everyPresetLiesInsideItsDeclaredRangesAndAValueOutsideOneIsRefusedNamingIt() {
        for (String id : List.of("smoe-dropout", "mom", "evomoe", "lora-mixer", "promoe")) {
            for (Preset preset : Preset.values()) Papers.validate(Papers.spec(id, preset));
        }
        ExperimentSpec mom = Papers.spec("mom", Preset.QUICK);
        for (String[] bad : new String[][] {{"steps", "0", "1..100000"}, {"learningRate", "0", "(0, 1]"}, {"learningRate", "1.5", "(0, 1]"},
                {"heads", "17", "1..16"}, {"trainPairs", "4,0", "1.."}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Papers.validate(mom.with(bad[0], bad[1])), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains("setting " + bad[0]) && e.getMessage().contains("outside its range " + bad[2]), e.getMessage());
        }
        Papers.validate(mom.with("steps", "1")); // the ends of a range are inside it
        Papers.validate(mom.with("learningRate", "1"));
    }

    @Test
    void everyPapersSpecRoundTripsThroughTextAndRebuildsItsSettings() {
        for (String id : List.of("smoe-dropout", "mom", "evomoe", "lora-mixer", "promoe")) {
            for (Preset preset : Preset.values()) {
                ExperimentSpec spec = Papers.spec(id, preset);
                ExperimentSpec back = ExperimentSpec.parse(spec.toText());
                assertEquals(spec, back, id + " " + preset);
                assertEquals(spec.contentHash(), back.contentHash());
                assertEquals(spec.toText(), back.toText());
                assertFalse(spec.arms().isEmpty(), id);
            }
        }
    }

    @Test
    void settingsRecordsRoundTripThroughNamedValues() {
        for (Record s : List.of(SmoeDropoutSettings.quick(), SmoeDropoutSettings.full(), EvoMoeSettings.quick(), EvoMoeSettings.full(),
                ProMoeSettings.quick(), ProMoeSettings.full(), LoraMixerSettings.quick(), LoraMixerSettings.full(), MomSettings.quick())) {
            var values = SettingsCodec.toMap(s);
            assertEquals(values, SettingsCodec.toMap(SettingsCodec.fromMap(s.getClass(), values)), s.getClass().getSimpleName());
        }
        assertEquals(SmoeDropoutSettings.quick(), SettingsCodec.fromMap(SmoeDropoutSettings.class, SettingsCodec.toMap(SmoeDropoutSettings.quick())));
        EvoMoeSettings shorter = SettingsCodec.with(SettingsCodec.with(EvoMoeSettings.quick(), "steps", 40), "evalEvery", "10");
        assertEquals(40, shorter.steps());
        assertEquals(10, shorter.evalEvery());
        assertEquals(SettingsCodec.with(EvoMoeSettings.quick(), "steps", 40, "evalEvery", 10), shorter);
        var rest = SettingsCodec.toMap(shorter);
        rest.remove("steps");
        rest.remove("evalEvery");
        var quick = SettingsCodec.toMap(EvoMoeSettings.quick());
        quick.remove("steps");
        quick.remove("evalEvery");
        assertEquals(quick, rest);
        assertEquals(List.of(4L, 5L), SettingsCodec.with(SmoeDropoutSettings.quick(), "seeds", List.of(4L, 5L)).seeds());
    }

    @Test
    void theHashFollowsTheContentsOnly() {
        ExperimentSpec a = Papers.spec("smoe-dropout", Preset.QUICK), b = Papers.spec("smoe-dropout", Preset.QUICK);
        assertEquals(a.contentHash(), b.contentHash());
        assertEquals(64, a.contentHash().length());
        ExperimentSpec longer = a.with("steps", "600");
        assertNotEquals(a.contentHash(), longer.contentHash());
        assertEquals(a.contentHash(), longer.with("steps", "500").contentHash());
        assertNotEquals(a.contentHash(), Papers.spec("smoe-dropout", Preset.FULL).contentHash());
    }

    @Test
    void declaredSettingsCarryDescriptionsAndBothPresets() {
        var settings = Papers.settings("smoe-dropout");
        var steps = settings.stream().filter(s -> s.name().equals("steps")).findFirst().orElseThrow();
        assertEquals("500", steps.quick());
        assertEquals("3000", steps.full());
        assertTrue(steps.description().contains("training steps"), steps.description());
        assertTrue(settings.stream().allMatch(s -> !s.description().isEmpty()), settings.toString());
    }

    @Test
    void badSpecsFailWithTheSettingNamed() {
        ExperimentSpec spec = Papers.spec("evomoe", Preset.QUICK);
        assertThrows(IllegalArgumentException.class, () -> spec.with("stepz", "1"));
        var bad = new ExperimentSpec(spec.id(), spec.paper(), spec.arms(), java.util.Map.of("steps", "ten"), spec.metrics(), spec.verdictRule());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Papers.run(bad));
        assertTrue(e.getMessage().contains("missing") || e.getMessage().contains("steps"), e.getMessage());
    }
}
