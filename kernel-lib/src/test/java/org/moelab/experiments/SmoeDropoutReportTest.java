package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.models.SmoeDropout.Arm;
import org.moelab.report.Verdict;

/** The verdict is computed from the numbers: it must flip when the numbers do. */
class SmoeDropoutReportTest {
    static final int[] KS = {1, 2, 4, 8};

    static SmoeDropoutArmResult result(Arm arm, long seed, double... bpc) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < bpc.length; i++) m.put(KS[i], bpc[i]);
        return new SmoeDropoutArmResult(arm, seed, m, 1.0, new double[] {0.5, 0.5}, 100, null, null);
    }

    static List<SmoeDropoutArmResult> paperLike(double smoeAtN) {
        List<SmoeDropoutArmResult> r = new ArrayList<>();
        r.add(result(Arm.DENSE, 1, 3.40));
        r.add(result(Arm.LEARNED, 1, 3.45, 3.42, 3.44, 3.47));
        r.add(result(Arm.SMOE_DROPOUT, 1, 3.70, 3.55, 3.46, smoeAtN));
        r.add(result(Arm.FROZEN_FIXED_K, 1, 3.50, 3.44, 3.49, 3.58));
        return r;
    }

    @Test
    void holdsWhenTheCurveFallsToDenseAndTheLearnedRouterStalls() {
        Verdict v = SmoeDropoutReport.verdict(paperLike(3.43), KS);
        assertTrue(v.holds(), v.toString());
        assertEquals(3, v.parts().size());
    }

    @Test
    void failsWhenTheCurveIsNotMonotoneOrFarFromDense() {
        assertFalse(SmoeDropoutReport.verdict(paperLike(3.47), KS).parts().get(0).holds());
        Verdict far = SmoeDropoutReport.verdict(paperLike(3.455), KS);
        assertTrue(far.parts().get(0).holds());
        assertFalse(far.parts().get(1).holds(), far.toString());
        assertFalse(far.holds());
    }

    @Test
    void failsWhenTheLearnedRouterKeepsImproving() {
        List<SmoeDropoutArmResult> r = paperLike(3.43);
        r.set(1, result(Arm.LEARNED, 1, 3.45, 3.42, 3.38, 3.35));
        Verdict v = SmoeDropoutReport.verdict(r, KS);
        assertFalse(v.parts().get(2).holds(), v.toString());
    }

    @Test
    void meansAreTakenOverSeeds() {
        List<SmoeDropoutArmResult> r = new ArrayList<>(paperLike(3.43));
        r.add(result(Arm.DENSE, 2, 3.50));
        assertEquals(3.45, SmoeDropoutReport.meanBpc(r, Arm.DENSE, 8), 1e-12);
        assertEquals(14, SmoeDropoutReport.table(r).rowCount());
    }
}
