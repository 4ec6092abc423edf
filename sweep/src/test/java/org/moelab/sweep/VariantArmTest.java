package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.experiments.ExperimentSpec;

/** A variant arm ({@code ARM@key=value}) is its arm trained with that setting changed, under its own name. */
class VariantArmTest {
    @TempDir
    Path out;

    @Test
    void aVariantIsTheArmWithItsSettingChangedAndSharesThatPointsStoredResult() {
        SweepPlan plan = TinySweeps.plan("local[1]", out, "1", "--arms", "MOM,MOM@dModel=8");
        SweepReport report = Sweeps.run(plan);
        assertEquals(2, report.points().size());
        PointResult plain = report.points().get(0), variant = report.points().get(1);
        assertEquals("MOM@dModel=8", variant.point().arm(), "tables name the variant");
        ExperimentSpec base = plan.validate();
        SweepPoint equivalent = new SweepPoint(base.with("dModel", "8").toText(), "MOM", 1, Map.of());
        assertEquals(equivalent.spec().toText(), variant.point().spec().toText());
        assertEquals(equivalent.hash("code"), variant.point().hash("code"), "the same experiment: one stored result");
        assertEquals(new PaperPoints().measure(equivalent), variant.metrics(), "bit-equal to training the arm with --set dModel=8");
        assertNotEquals(plain.metrics().get("parameters"), variant.metrics().get("parameters"), "a narrower model has fewer parameters");
    }
}
