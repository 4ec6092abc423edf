package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %moe sweep} and {@code %%moe sweep} through a real kernel with an embedded Spark: bad input fails before any
 * work, a tiny sweep shows live progress and its table, and an interrupt midway keeps the finished points (a rerun
 * trains only the rest) while the kernel lives on.
 */
class SweepMagicsTest {
    /** The MoM recall experiment cut to a narrow one-block model and a few steps: well under a second a point. */
    private static final String TINY = "set: dModel=16\nset: layers=1\nset: batch=4\nset: evalRows=8\nset: trainPairs=2,4\nset: testPairs=2,4\n";

    private final KernelSession session = new KernelSession();
    @TempDir
    Path out;

    @AfterEach
    void close() {
        session.close();
    }

    private String error(Exception e) {
        return String.join("\n", session.kernel.formatError(e));
    }

    @Test
    void badInputFailsBeforeAnyWorkAndTheKernelLivesOn() throws Exception {
        Exception unknownKey = assertThrows(Exception.class, () -> session.eval("%%moe sweep\npaper: mom\nseeds: 1..2\ncolour: red\nout: " + out));
        assertTrue(error(unknownKey).contains("--colour") && error(unknownKey).contains("--grid"), error(unknownKey));
        Exception badArm = assertThrows(Exception.class, () -> session.eval("%moe sweep mom --seeds 1 --arms NOPE --out " + out));
        assertTrue(error(badArm).contains("unknown arm 'NOPE'") && error(badArm).contains("MOM_ORACLE"), error(badArm));
        Exception noLine = assertThrows(Exception.class, () -> session.eval("%%moe sweep\npaper mom"));
        assertTrue(error(noLine).contains("expected key: value"), error(noLine));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(), files.toList(), "nothing written for bad input");
        }
        assertEquals("3", session.eval("1 + 2"));
    }

    @Test
    void aTinyCellSweepShowsProgressAndItsTable() throws Exception {
        session.eval("%%moe sweep mom\nseeds: 1..2\narms: ATTENTION,MOM\nmaster: local[2]\nset: steps=4\n" + TINY + "out: " + out);
        String progress = texts().filter(t -> t.startsWith("sweep mom:")).reduce((a, b) -> b).orElseThrow();
        assertTrue(progress.contains("4/4 points done") && progress.contains("0 failed"), progress);
        String html = html();
        assertTrue(html.contains("95% CI low") && html.contains("ATTENTION") && html.contains("MOM"), html);
        assertTrue(html.contains("Verdict: MoM recalls more") && html.contains("no verdict"), "the verdict's caption says it needs LINEAR_ATTENTION: " + html);
        assertEquals(4, pointFiles(), "every point stored");
    }

    @Test
    void anInterruptMidwayKeepsTheFinishedPointsAndARerunTrainsOnlyTheRest() throws Exception {
        // One task at a time and six points, so the interrupt lands while most are still to come.
        String sweep = "%moe sweep mom --seeds 1..3 --arms ATTENTION,MOM --master local[1] --set steps=30 "
                + TINY.replace("set: ", "--set ").replace('\n', ' ') + "--out " + out;
        Throwable failure = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            CompletableFuture<DisplayData> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.kernel.eval(sweep);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            while (pointFiles() == 0 && !running.isDone()) Thread.sleep(10);
            session.kernel.interrupt();
            try {
                running.join();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertTrue(failure != null, "the interrupted sweep fails its cell");
        int kept = pointFiles();
        assertTrue(kept >= 1 && kept < 6, "finished points kept, the rest cancelled: " + kept);
        assertEquals("3", session.eval("1 + 2"), "the kernel lives on");

        session.displayed.clear();
        session.eval(sweep);
        assertEquals(6, pointFiles());
        assertTrue(texts().anyMatch(t -> t.equals("sweep mom: starting " + (6 - kept) + " points")), "only the missing points are trained");
    }

    private Stream<String> texts() {
        return session.displayed.stream().map(d -> (String) d.getData(MIMEType.TEXT_PLAIN)).filter(t -> t != null);
    }

    private String html() {
        return (String) session.displayed.get(session.displayed.size() - 1).getData(MIMEType.TEXT_HTML);
    }

    /** Finished points stored under the sweep's folder ({@code out/<spec hash>/*.point}). */
    private int pointFiles() {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> files = Files.walk(out)) {
                return (int) files.filter(f -> f.toString().endsWith(".point")).count();
            } catch (IOException | UncheckedIOException e) {
                // A temporary file renamed into place while the walk lists the folder: look again.
                if (attempt == 10) throw new IllegalStateException("cannot list " + out, e);
            }
        }
    }
}
