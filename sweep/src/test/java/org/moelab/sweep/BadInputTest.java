package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails before any work, with a message naming the parameter and what is allowed. */
class BadInputTest {
    @TempDir
    Path out;

    private void assertRejected(SweepPlan plan, String... expectedInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweeps.run(plan, point -> {
            throw new AssertionError("no point may be trained for bad input");
        }));
        for (String part : expectedInMessage) assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        assertFalse(Files.exists(out.resolve("x")) , "nothing written");
        try (var files = Files.list(out)) {
            assertTrue(files.findAny().isEmpty(), "no result folder before the input is valid");
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void unknownPaperListsThePapers() {
        assertRejected(SweepPlan.parse(List.of("moe-nonsense", "--seeds", "1", "--out", out.toString())), "paper", "moe-nonsense", "mom", "evomoe");
    }

    @Test
    void unknownArmListsTheArms() {
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--arms", "ATTENTION,NOPE"), "--arms", "NOPE", "LINEAR_ATTENTION", "MOM_ORACLE");
    }

    @Test
    void unknownSettingListsTheSettings() {
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--grid", "learningrat=0.1,0.2"), "--grid", "learningrat", "learningRate", "steps");
    }

    @Test
    void badGridValueNamesTheSettingAndItsType() {
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--grid", "lr=0.01,fast"), "--grid", "learningRate=fast", "float");
    }

    @Test
    void unreachableMasterIsReportedBeforeAnyWork() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertRejected(TinySweeps.plan("spark://127.0.0.1:" + closedPort, out, "1"), "--master", "127.0.0.1:" + closedPort, "local[N]");
        assertRejected(TinySweeps.plan("sprak://host:7077", out, "1"), "--master", "allowed", "spark://host:port");
    }

    @Test
    void aVariantArmNamesAKnownArmAndSettingAndDoesNotFixWhatTheSweepVaries() {
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--arms", "MOM@nonsense=3"), "--arms MOM@nonsense=3", "unknown setting 'nonsense'");
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--arms", "MOM@steps"), "--arms MOM@steps", "ARM@key=value");
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--arms", "NOPE@steps=3"), "--arms", "unknown arm 'NOPE'");
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--arms", "MOM,MOM@learningRate=0.1", "--grid", "lr=0.01,0.02"), "learningRate", "also swept");
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--arms", "MOM,MOM"), "named twice");
    }

    @Test
    void tuningNeedsAMetricAndFreshSeeds() {
        assertRejected(TinySweeps.plan("local[1]", out, "1", "--tune", "lr=0.01,0.02"), "--metric");
        assertRejected(TinySweeps.plan("local[1]", out, "1..2", "--tune", "lr=0.01,0.02", "--metric", "acc P=4", "--tune-seeds", "2..3"), "--tune-seeds", "overlap");
    }

    @Test
    void anUnknownLoraMixerArmListsItsArms() {
        assertRejected(SweepPlan.parse(List.of("lora-mixer", "--seeds", "1", "--arms", "SBL,LORA_MIXER", "--out", out.toString())),
                "--arms", "LORA_MIXER", "lora-mixer", "MULTI_TASK_LORA", "SOFT_AND_OTHER_TOP_K", "TOKEN_ROUTER_INPUT");
    }

    @Test
    void syntaxErrorsNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.parse(List.of("mom", "--seeds", "5..1")));
        assertTrue(e.getMessage().contains("--seeds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.parse(List.of("mom", "--seeds", "1", "--colour", "red")));
        assertTrue(e.getMessage().contains("--colour") && e.getMessage().contains("--grid"), e.getMessage());
    }

    @Test
    void aJvmWithoutSparksOpensIsToldWhichFlagsItLacks() {
        assertEquals(List.of(), SparkMasters.missingOpens(pkg -> true));
        assertEquals(List.of("java.lang", "java.nio", "sun.nio.ch", "java.util", "java.lang.invoke"), SparkMasters.missingOpens(pkg -> false));
        assertEquals(List.of("sun.nio.ch"), SparkMasters.missingOpens(pkg -> !pkg.equals("sun.nio.ch")));
    }
}
