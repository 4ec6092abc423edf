package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
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
}
