package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunSpecTest {
    @Test
    void parsesKeysCaseInsensitivelyWithCommentsAndDefaults() {
        RunSpec spec = RunSpec.parse("router: Frozen   # SMoE-Dropout\nexperts: 4\nK: 4\n\nkschedule: linear\nsteps: 10");
        assertEquals("frozen", spec.get("router"));
        assertEquals(4, spec.intValue("k"));
        assertEquals("linear", spec.get("kSchedule"));
        assertEquals(64, spec.intValue("dModel"));
    }

    @Test
    void unknownKeysAndBadValuesListTheAllowedKeysAndRanges() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> RunSpec.parse("expertz: 4"));
        assertTrue(unknown.getMessage().contains("unknown key 'expertz'") && unknown.getMessage().contains("experts:"), unknown.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> RunSpec.parse("experts: 4\nk: 5"));
        assertTrue(k.getMessage().contains("k = '5' must be in [1, 4]"), k.getMessage());
        IllegalArgumentException router = assertThrows(IllegalArgumentException.class, () -> RunSpec.parse("router: magic"));
        assertTrue(router.getMessage().contains("must be one of topk, frozen, hash, expert-choice, dense"), router.getMessage());
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class, () -> RunSpec.parse("experts: 3\nhidden: 256"));
        assertTrue(hidden.getMessage().contains("divisible by experts"), hidden.getMessage());
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class, () -> RunSpec.parse("steps 10"));
        assertTrue(syntax.getMessage().contains("expected 'key: value'"), syntax.getMessage());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> RunSpec.parse("lr: 0"));
        assertTrue(lr.getMessage().contains("lr"), lr.getMessage());
    }

    @Test
    void aTinyRunTrainsEveryRouterKind() {
        for (String router : new String[] {"topk", "frozen", "hash", "expert-choice", "dense", "switch", "dts", "prototype"}) {
            RunSpec spec = RunSpec.parse("router: " + router + "\nexperts: 4\nk: 2\nhidden: 32\ndModel: 16\nheads: 2\nlayers: 1\ncontext: 16\nbatch: 4\nsteps: 3");
            CustomRun.Result r = CustomRun.execute(spec);
            assertEquals(3, r.run().stepsDone(), router);
            assertTrue(Double.isFinite(r.validationBpc()), router);
            assertEquals("dense".equals(router) ? 0 : 1, r.tokensPerExpert().size(), router);
        }
    }

    @Test
    void theDenseToSparseGateIsAnnealedThenHard() {
        RunSpec spec = RunSpec.parse("router: dts\nexperts: 4\nhidden: 32\ndModel: 16\nheads: 2\nlayers: 1\ncontext: 16\nbatch: 4\nsteps: 6");
        CustomRun.Result r = CustomRun.execute(spec);
        var gate = (org.moelab.moe.DenseToSparseGate) r.model().moeLayers().get(0).router();
        assertTrue(gate.isHard(), "hard after the first half");
        assertEquals(0.3f, gate.temperature(), 1e-6f, "τ at its minimum once the sparse phase ends");
    }
}
