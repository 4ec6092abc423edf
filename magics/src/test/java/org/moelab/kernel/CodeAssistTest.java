package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeAssistTest {
    private final KernelSession session = new KernelSession();

    @AfterAll
    void close() {
        session.close();
    }

    @Test
    void completesSessionVariablesAndMembers() throws Exception {
        session.eval("String greeting = \"hi\";");
        ReplacementOptions options = session.kernel.complete("greet", 5);
        assertTrue(options.getReplacements().contains("greeting"), options.getReplacements().toString());
        assertEquals(0, options.getSourceStart());

        ReplacementOptions members = session.kernel.complete("greeting.toUpp", 14);
        assertTrue(members.getReplacements().stream().anyMatch(s -> s.startsWith("toUpperCase")),
                members.getReplacements().toString());
        assertEquals(9, members.getSourceStart());
    }

    @Test
    void isCompleteTellsConsolesWhenToWaitForMoreLines() {
        assertEquals("complete", session.kernel.isComplete("int a = 1;"));
        assertEquals("complete", session.kernel.isComplete("int a = 1; int b = 2;"));
        assertTrue(session.kernel.isComplete("for (int i = 0; i < 3; i++) {").isBlank(), "an indent to continue with");
        assertEquals("complete", session.kernel.isComplete("%moe env"));
    }

    @Test
    void inspectShowsTheSignature() {
        String code = "Math.max(1, 2)";
        DisplayData doc = session.kernel.inspect(code, 6, false);
        assertNotNull(doc);
        assertTrue(((String) doc.getData(MIMEType.TEXT_PLAIN)).contains("max("), String.valueOf(doc.getData(MIMEType.TEXT_PLAIN)));
    }

    private List<String> completions(String code) {
        return session.kernel.complete(code, code.length()).getReplacements();
    }

    @Test
    void completesMoeCommandsTheirWordsAndACellsHeaderKeysAndValues() {
        assertEquals(List.of("inspect"), completions("%moe ins"));
        assertEquals(List.of("evomoe"), completions("%moe reproduce ev"));
        assertTrue(completions("%moe reproduce evomoe --").containsAll(List.of("--full", "--master")));
        assertEquals(List.of("--as"), completions("%%moe --"));
        assertEquals(List.of("promoe"), completions("%%moe help pro"));
        assertEquals(List.of("router: "), completions("%%moe --as evo\nmodel: evomoe\nrou"));
        assertEquals(List.of("dense", "dts"), completions("%%moe\nmodel: evomoe\nrouter: d"));
        assertEquals(List.of("TEXTURES10"), completions("%%moe\nmodel: promoe\ndataset: T"));
        assertTrue(completions("%%moe\nmodel: promoe\neu").contains("eulerSteps: "), "a paper model's declared settings");
        assertEquals(List.of("steps: "), completions("%%moe\nste"), "no model line: the lm's keys");
        assertEquals(List.of("lm", "lora-mixer"), completions("%%moe\nmodel: l"));
        String typing = "%%moe\nmodel: evomoe\nrouter: d";
        assertEquals(typing.length() - 1, session.kernel.complete(typing, typing.length()).getSourceStart(), "the typed word is replaced, not the line");
    }
}
