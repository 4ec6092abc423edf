package org.moelab.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batching, ordering, the per-cell limit and UTF-8 boundaries of a cell's printed output (issue 14). */
class CellOutputTest {
    /** A flush interval no test waits for: only explicit flushes, full buffers and close() publish. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final List<String> sent = new ArrayList<>();

    private CellOutput output(int maxMessageBytes, long cellLimit) {
        return new CellOutput(new OutputPolicy(NEVER, maxMessageBytes, cellLimit),
                (stream, text) -> sent.add(stream.jupyterName + ":" + text));
    }

    @Test
    void manyLinesBecomeFewMessagesCappedInSize() {
        try (CellOutput out = output(64 * 1024, 0)) {
            for (int i = 0; i < 100_000; i++) {
                out.out.println("step " + i);
            }
        }
        String all = String.join("", sent.stream().map(s -> s.substring("stdout:".length())).toList());
        assertEquals(100_000, all.lines().count());
        assertTrue(all.endsWith("step 99999\n"));
        assertTrue(sent.size() < 30, sent.size() + " messages for 1 MB");
        assertTrue(sent.stream().allMatch(s -> s.length() < 64 * 1024 + 64), "messages stay near the size cap");
    }

    @Test
    void stdoutAndStderrKeepTheirOrder() {
        try (CellOutput out = output(1024, 0)) {
            out.out.print("a");
            out.err.print("b");
            out.out.print("c");
            out.out.print("d");
        }
        assertEquals(List.of("stdout:a", "stderr:b", "stdout:cd"), sent);
    }

    @Test
    void pastTheCellLimitOutputIsDroppedWithOneNotice() {
        CellOutput out = output(1024, 10_000);
        for (int i = 0; i < 2000; i++) {
            out.out.print("0123456789");
        }
        out.close();
        String stdout = String.join("", sent.stream().filter(s -> s.startsWith("stdout:"))
                .map(s -> s.substring(7)).toList());
        List<String> notices = sent.stream().filter(s -> s.startsWith("stderr:")).toList();
        assertEquals(10_000, stdout.length());
        assertEquals(1, notices.size(), sent.toString());
        assertTrue(notices.get(0).contains("MOELAB_MAX_CELL_OUTPUT") && notices.get(0).contains("dropped"), notices.get(0));
        assertEquals(10_000, out.droppedBytes());
        assertEquals(10_000, out.acceptedBytes());
    }

    @Test
    void multiByteCharactersAreNeverSplitAcrossMessages() {
        try (CellOutput out = output(7, 0)) {
            for (int i = 0; i < 50; i++) {
                out.out.print("é€😀");
            }
        }
        String all = String.join("", sent.stream().map(s -> s.substring(7)).toList());
        assertEquals("é€😀".repeat(50), all);
        assertTrue(sent.stream().noneMatch(s -> s.contains("\uFFFD")), "no replacement characters");
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, CellOutput.completeUtf8Prefix(euro, 3), "a cut inside € keeps only 'a'");
        assertEquals(4, CellOutput.completeUtf8Prefix(euro, 4));
    }

    @Test
    void policyReadsSizesAndRejectsBadValuesByName() {
        assertEquals(50L * 1024 * 1024, OutputPolicy.fromEnvironment(Map.of("MOELAB_MAX_CELL_OUTPUT", "50m")).cellLimitBytes());
        assertEquals(0, OutputPolicy.fromEnvironment(Map.of("MOELAB_MAX_CELL_OUTPUT", "0")).cellLimitBytes());
        assertEquals(OutputPolicy.DEFAULT, OutputPolicy.fromEnvironment(Map.of()));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> OutputPolicy.fromEnvironment(Map.of("MOELAB_MAX_CELL_OUTPUT", "lots")));
        assertTrue(bad.getMessage().contains("MOELAB_MAX_CELL_OUTPUT") && bad.getMessage().contains("lots"));
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> OutputPolicy.fromEnvironment(Map.of("MOELAB_OUTPUT_FLUSH_MS", "-5")));
        assertTrue(interval.getMessage().contains("flushInterval"), interval.getMessage());
    }

    @Test
    void aSignatureSeenTwiceIsRejected() throws Exception {
        ReplayGuard guard = new ReplayGuard("hmac-sha256", "key");
        byte[][] parts = {"{\"msg_id\":\"1\"}".getBytes(), "{}".getBytes(), "{}".getBytes(), "{}".getBytes()};
        String first = guard.calculateSignature(parts);
        assertEquals(64, first.length());
        assertNotEquals(first, guard.calculateSignature(parts), "the replay cannot match its signature");
        byte[][] other = {"{\"msg_id\":\"2\"}".getBytes(), "{}".getBytes(), "{}".getBytes(), "{}".getBytes()};
        assertEquals(64, guard.calculateSignature(other).length());
    }
}
