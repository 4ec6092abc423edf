package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code %moe papers}, {@code %moe reproduce} and the {@code %%moe} cell magic, through a real kernel. */
class PaperMagicsTest {
    private final KernelSession session = new KernelSession();

    @AfterEach
    void close() {
        session.close();
    }

    private String lastHtml() {
        DisplayData data = session.displayed.get(session.displayed.size() - 1);
        return (String) data.getData(MIMEType.TEXT_HTML);
    }

    @Test
    void papersListsAllFiveWithTheirNotebooks() throws Exception {
        session.eval("%moe papers");
        String html = lastHtml();
        for (String id : new String[] {"smoe-dropout", "mom", "evomoe", "lora-mixer", "promoe"}) assertTrue(html.contains(id), id);
        assertTrue(html.contains("01-smoe-dropout.ipynb") && html.contains("%moe reproduce smoe-dropout"), html);
        assertTrue(html.contains("model: evomoe · router: dts") && html.contains("model: promoe · router: conditional+prototype"), html);
    }

    @Test
    void reproduceRejectsUnknownPapersAndOptionsClearly() {
        Exception unknown = assertThrows(Exception.class, () -> session.eval("%moe reproduce nope"));
        assertTrue(String.join("\n", session.kernel.formatError(unknown)).contains("No paper 'nope'"));
        Exception option = assertThrows(Exception.class, () -> session.eval("%moe reproduce smoe-dropout --fast"));
        assertTrue(String.join("\n", session.kernel.formatError(option)).contains("unknown option --fast"));
        Exception quickOnSpark = assertThrows(Exception.class, () -> session.eval("%moe reproduce mom --master local[1]"));
        assertTrue(String.join("\n", session.kernel.formatError(quickOnSpark)).contains("--master applies to --full of " + String.join(", ", org.moelab.sweep.SecondRounds.papers())), String.join("\n", session.kernel.formatError(quickOnSpark)));
    }

    @Test
    void reproduceFullOfAPaperWithASecondRoundRunsItsSweepWhichChecksItsInputFirst() {
        // The sweep's own validation answers (a bad master URL), before any training: --full went to the sweep engine.
        Exception master = assertThrows(Exception.class, () -> session.eval("%moe reproduce evomoe --full --master sprak://host:7077"));
        assertTrue(String.join("\n", session.kernel.formatError(master)).contains("spark://host:port"), String.join("\n", session.kernel.formatError(master)));
    }

    @Test
    void cellMagicTrainsAConfigurationAndReturnsTheRun() throws Exception {
        session.eval("%%moe\nrouter: frozen\nexperts: 4\nk: 4\nkSchedule: linear\nkMin: 1\nhidden: 32\ndModel: 16\nheads: 2\nlayers: 1\ncontext: 16\nbatch: 4\nsteps: 4");
        assertTrue(lastHtml().contains("valid BPC"), lastHtml());
    }

    @Test
    void cellMagicWithABadKeyFailsWithTheAllowedKeysAndTheKernelLivesOn() throws Exception {
        Exception error = assertThrows(Exception.class, () -> session.eval("%%moe\nexpertz: 4"));
        String message = String.join("\n", session.kernel.formatError(error));
        assertTrue(message.contains("unknown key 'expertz'") && message.contains("kSchedule"), message);
        assertEquals("3", session.eval("1 + 2"));
    }

    @Test
    void asBindsTheTrainedRunOfAPapersModelToAVariableTheNextCellUses() throws Exception {
        session.eval("%%moe --as evo\nmodel: evomoe\nrouter: dts\nsteps: 3\nbatch: 2\nwarmup: 0\nevalEvery: 1\nvalidationSequences: 8\ndModel: 16\nhidden: 16");
        assertTrue(lastHtml().contains("val loss") || lastHtml().contains("loss"), lastHtml());
        assertEquals("evomoe EVOMOE 3", session.eval("evo.model() + \" \" + evo.config().get(\"arm\") + \" \" + evo.run().stepsDone()"));
        assertEquals("true", session.eval("evo.report().tableNames().size() > 0"));
    }

    @Test
    void helpForOneModelListsItsKeysAndAnUnknownModelNamesTheModels() throws Exception {
        String help = session.printed("%%moe help promoe");
        assertTrue(help.contains("eulerSteps:") && help.contains("conditional+prototype"), help);
        Exception error = assertThrows(Exception.class, () -> session.eval("%%moe help transformer"));
        assertTrue(String.join("\n", session.kernel.formatError(error)).contains("lm | mom | smoe-dropout | evomoe | lora-mixer | promoe"));
    }

    @Test
    void aRouterThatDoesNotFitTheModelFailsBeforeTrainingAndBindsNothing() throws Exception {
        Exception error = assertThrows(Exception.class, () -> session.eval("%%moe --as bad\nmodel: promoe\nrouter: hash"));
        String message = String.join("\n", session.kernel.formatError(error));
        assertTrue(message.contains("router 'hash' does not fit model 'promoe'"), message);
        assertThrows(Exception.class, () -> session.eval("bad"), "a failed cell binds nothing");
        Exception name = assertThrows(Exception.class, () -> session.eval("%%moe --as 2x\nsteps: 1"));
        assertTrue(String.join("\n", session.kernel.formatError(name)).contains("--as needs a Java variable name"));
    }

    @Test
    void anInterruptedRunIsStillBoundWithWhatItTrained() throws Exception {
        int before = session.displayed.size();
        java.util.concurrent.CompletableFuture<Object> cell = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return session.kernel.eval("%%moe --as partial\nexperts: 2\nhidden: 16\ndModel: 8\nheads: 1\nlayers: 1\ncontext: 8\nbatch: 2\nsteps: 100000");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // the live progress bar shows, then updates as steps finish: wait for a few updates (steps are running)
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (session.displayed.size() < before + 3 && System.nanoTime() < deadline) Thread.sleep(10);
        session.kernel.interrupt();
        try {
            cell.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException ignored) {
            // whether the kernel reports the cell as interrupted or not, what was trained must be bound
        }
        assertEquals("INTERRUPTED", session.eval("partial.run().status().toString()"));
        assertEquals("true", session.eval("partial.run().stepsDone() > 0 && partial.run().stepsDone() < 100000"));
    }

    @Test
    void inspectAndCompareWorkOnNamedRuns() throws Exception {
        String tiny = "experts: 4\nhidden: 16\ndModel: 8\nheads: 1\nlayers: 1\ncontext: 8\nbatch: 2\nsteps: 3";
        session.eval("%%moe --as a\n" + tiny);
        session.eval("%%moe --as b\nrouter: hash\n" + tiny);
        assertEquals(java.util.List.of("a", "b"), session.kernel.complete("%moe inspect ", 13).getReplacements(), "named runs complete");
        session.eval("%moe inspect a --layer 0 --input \"the\"");
        String inspect = lastHtml();
        assertEquals(3, inspect.split("class=\"tok\"", -1).length - 1, inspect);
        session.eval("%moe compare a b");
        String compare = lastHtml();
        assertTrue(compare.contains("Settings that differ") && compare.contains("hash") && compare.contains("<b>a</b>") && compare.contains("<b>b</b>"), compare);
        Exception missing = assertThrows(Exception.class, () -> session.eval("%moe inspect nope"));
        assertTrue(String.join("\n", session.kernel.formatError(missing)).contains("named runs: a, b"));
        Exception one = assertThrows(Exception.class, () -> session.eval("%moe compare a"));
        assertTrue(String.join("\n", session.kernel.formatError(one)).contains("at least two runs"));
    }
}
