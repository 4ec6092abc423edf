package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.moelab.kernel.execution.CellRuntimeException;
import org.moelab.kernel.execution.CompilationException;
import org.moelab.kernel.execution.IncompleteSourceException;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationTest {
    private final KernelSession session = new KernelSession();

    @AfterAll
    void close() {
        session.close();
    }

    @Test
    void lastExpressionIsTheCellValue() throws Exception {
        assertEquals("42", session.eval("int a = 40;\na + 2"));
        assertNull(session.eval("int b = 1;"), "a declaration shows nothing");
    }

    @Test
    void everySnippetOfAMultiStatementCellRuns() throws Exception {
        session.eval("int x = 1; int y = 2;\nint z = x + y;\nString joined = \"\" + x + y + z;");
        assertEquals("123", session.eval("joined"));
    }

    @Test
    void valuesAreLiveObjects() throws Exception {
        session.eval("var list = new java.util.ArrayList<String>(List.of(\"a\"));");
        Object value = session.kernel.evalRaw("list").value();
        assertInstanceOf(java.util.ArrayList.class, value);
    }

    @Test
    void methodsAndClassesCanBeDeclared() throws Exception {
        session.eval("record Point(int x, int y) { int sum() { return x + y; } }\nint twice(int v) { return 2 * v; }");
        assertEquals("14", session.eval("twice(new Point(3, 4).sum())"));
    }

    @Test
    void compileErrorNamesTheCellLine() {
        CompilationException error = assertThrows(CompilationException.class,
                () -> session.eval("int ok = 1;\n\nint broken = undefinedName + 1;"));
        CompilationException.Problem problem = error.problems().get(0);
        assertEquals(3, problem.line());
        assertEquals("int broken = undefinedName + 1;", problem.sourceLine().strip());
        assertTrue(problem.message().contains("cannot find symbol"), problem.message());
        String formatted = String.join("\n", session.kernel.formatError(error));
        assertTrue(formatted.contains("cell line 3"), formatted);
        assertTrue(formatted.contains("^"), formatted);
    }

    @Test
    void runtimeErrorShowsUserFramesAndTheKernelLivesOn() throws Exception {
        session.eval("int survivor = 7;\nvoid explode() { throw new IllegalStateException(\"boom\"); }");
        CellRuntimeException error = assertThrows(CellRuntimeException.class, () -> session.eval("explode();"));
        assertInstanceOf(IllegalStateException.class, error.getCause());
        List<String> traceback = session.kernel.formatError(error);
        String text = String.join("\n", traceback);
        assertTrue(text.contains("IllegalStateException: boom"), text);
        assertTrue(text.contains("explode(#"), text);
        assertTrue(!text.contains("jdk.internal.reflect") && !text.contains("ThreadPoolExecutor"), text);
        assertEquals("8", session.eval("survivor + 1"));
    }

    @Test
    void incompleteCellIsReported() {
        assertThrows(IncompleteSourceException.class, () -> session.eval("for (int i = 0; i < 3; i++) {"));
    }

    @Test
    void stdoutGoesWhereSystemOutPoints() throws Exception {
        assertEquals("hello\n", session.printed("System.out.println(\"hello\");"));
    }

    @Test
    void defaultImportsAndHelpersAreThere() throws Exception {
        assertEquals("true", session.eval("getKernelInstance() != null"));
        assertEquals("quick", session.eval("org.moelab.lab.Preset.current().toString()"));
        assertEquals("3", session.eval("eval(\"1 + 2\")"));
        assertEquals("true", session.eval("Rng.defaultSeed() == Rng.defaultSeed()"), "org.moelab.tensor.* is imported");
    }

    @Test
    void theVectorApiIsAvailableToCells() throws Exception {
        assertEquals("true", session.eval("jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= 4"));
    }

    @Test
    void nd4jWorksFromACell() throws Exception {
        assertEquals("6.0", session.eval("org.nd4j.linalg.factory.Nd4j.ones(2, 3).sumNumber().doubleValue()"));
    }
}
