package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.moelab.kernel.execution.CellRuntimeException;

/**
 * What a cell cannot do to the kernel (issue 14): exit its JVM, drown the notebook in a 1,024-frame stack trace, or
 * trip the magics parser with a header-only {@code %%moe}; and magic names complete like Java names do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CellLimitsTest {
    private final KernelSession session = new KernelSession();

    @AfterAll
    void close() {
        session.close();
    }

    @Test
    void systemExitInACellFailsTheCellAndKeepsEveryVariable() throws Exception {
        session.eval("int kept = 41;");
        for (String exit : List.of("System.exit(1);", "Runtime.getRuntime().exit(2);", "Runtime.getRuntime().halt(3);",
                "java.util.function.IntConsumer quit = System::exit; quit.accept(4);",
                "void leave() { System.exit(5); }\nleave();")) {
            CellRuntimeException error = assertThrows(CellRuntimeException.class, () -> session.eval(exit), exit);
            String traceback = String.join("\n", session.kernel.formatError(error));
            assertTrue(traceback.contains("UnsupportedOperationException") && traceback.contains("was not run")
                    && traceback.contains("restart the kernel"), traceback);
        }
        assertEquals("42", session.eval("kept + 1"));
    }

    @Test
    void aStackOverflowShowsAShortTracebackWithTheRecursionFolded() throws Exception {
        session.eval("int down(int n) { return down(n + 1) + 1; }");
        CellRuntimeException error = assertThrows(CellRuntimeException.class, () -> session.eval("down(0)"));
        List<String> traceback = session.kernel.formatError(error);
        String text = String.join("\n", traceback);
        assertTrue(traceback.size() < 15, traceback.size() + " lines:\n" + text);
        assertTrue(text.contains("StackOverflowError") && text.contains("down(#") && text.contains("repeats"), text);
        assertTrue(text.length() < 2_000, text.length() + " characters");
        assertEquals("2", session.eval("1 + 1"), "the kernel evaluates after the overflow");
    }

    @Test
    void cellMagicWithoutBodyPrintsItsHelpAndBadArgumentsAClearError() throws Exception {
        String help = session.printed("%%moe help");
        assertTrue(help.contains("router"), help);
        assertTrue(session.printed("  %%moe help\n\n").contains("router"), "blank lines after the header are fine");
        assertEquals(help, session.printed("%%moe"), "an empty %%moe prints the same help");
        assertEquals(help, session.printed("%%moe\n\n  \n"), "blank lines only: the same help");
        CellRuntimeException args = assertThrows(CellRuntimeException.class, () -> session.eval("%%moe fast\nrouter: topk"));
        assertTrue(String.join("\n", session.kernel.formatError(args)).contains("fast"));
    }

    @Test
    void magicNamesAndMoeCommandsComplete() {
        var line = session.kernel.complete("%mo", 3);
        assertTrue(line.getReplacements().contains("%moe"), line.getReplacements().toString());
        assertEquals(0, line.getSourceStart());
        assertEquals(3, line.getSourceEnd());
        var cell = session.kernel.complete("%%ht", 4);
        assertEquals(List.of("%%html"), cell.getReplacements());
        var assigned = session.kernel.complete("int x = 1;\nList<String> jars = %ja", 34);
        assertEquals(List.of("%jars"), assigned.getReplacements());
        assertEquals(31, assigned.getSourceStart());
        var sub = session.kernel.complete("%moe e", 6);
        assertEquals(List.of("env"), sub.getReplacements());
        assertEquals(5, sub.getSourceStart());
        var java = session.kernel.complete("Math.ma", 7);
        assertTrue(java.getReplacements().contains("max("), java.getReplacements().toString());
    }
}
