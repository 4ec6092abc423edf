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
    }

    @Test
    void reproduceRejectsUnknownPapersAndOptionsClearly() {
        Exception unknown = assertThrows(Exception.class, () -> session.eval("%moe reproduce nope"));
        assertTrue(String.join("\n", session.kernel.formatError(unknown)).contains("No paper 'nope'"));
        Exception option = assertThrows(Exception.class, () -> session.eval("%moe reproduce smoe-dropout --fast"));
        assertTrue(String.join("\n", session.kernel.formatError(option)).contains("unknown option --fast"));
        Exception quickOnSpark = assertThrows(Exception.class, () -> session.eval("%moe reproduce mom --master local[1]"));
        assertTrue(String.join("\n", session.kernel.formatError(quickOnSpark)).contains("--master applies to --full of evomoe, promoe, smoe-dropout"));
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
}
