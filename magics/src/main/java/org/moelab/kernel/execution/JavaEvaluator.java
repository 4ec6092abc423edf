package org.moelab.kernel.execution;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.moelab.lab.Interrupts;

/**
 * Owns the JShell session of one kernel: evaluates cells snippet by snippet, turns JShell's events into a live
 * value or into one of our exceptions ({@link CompilationException}, {@link CellRuntimeException},
 * {@link CellInterruptedException}, {@link UnresolvedReferenceFailure}), and interrupts a running cell.
 */
public final class JavaEvaluator implements AutoCloseable {
    private final JShell shell;
    private final InProcessExecutionControl control;
    private final CellSplitter splitter;
    /** Greater than one while a cell evaluates code itself ({@code %load}, {@code eval(...)}). */
    private int nesting;

    public JavaEvaluator(List<String> compilerOptions, Duration stopGrace) {
        InProcessExecutionControlProvider provider = new InProcessExecutionControlProvider(stopGrace);
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions(compilerOptions.toArray(String[]::new))
                // User code prints through System.out/err, which the kernel points at Jupyter during each cell;
                // these late-bound streams make JShell's own output follow the same redirection.
                .out(new PrintStream(lateBound(true), true))
                .err(new PrintStream(lateBound(false), true))
                .in(InputStream.nullInputStream())
                .build();
        this.control = provider.control();
        this.splitter = new CellSplitter(shell.sourceCodeAnalysis());
    }

    /** Evaluates a (magics-free) cell. The value is that of the last snippet, if it is an expression. */
    public CellResult eval(String cell) {
        if (nesting++ == 0) {
            // A new top-level cell: forget the last interrupt and the values nobody asked for.
            Interrupts.clear();
            control.startCell();
        }
        try {
            CellResult result = CellResult.noValue();
            for (CellSnippet snippet : splitter.split(cell)) {
                result = evalSnippet(snippet);
            }
            return result;
        } finally {
            nesting--;
        }
    }

    /** Interrupts the running cell (from another thread, e.g. Jupyter's control channel). */
    public void interrupt() {
        control.interrupt();
    }

    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    public SourceCodeAnalysis analysis() {
        return shell.sourceCodeAnalysis();
    }

    public JShell shell() {
        return shell;
    }

    private CellResult evalSnippet(CellSnippet cellSnippet) {
        CellResult result = CellResult.noValue();
        for (SnippetEvent event : shell.eval(cellSnippet.source())) {
            if (event.causeSnippet() != null) {
                continue; // an earlier declaration re-validated because of this one; not ours to report
            }
            Snippet snippet = event.snippet();
            if (event.exception() != null) {
                throw translate(event.exception(), snippet);
            }
            if (event.status() == Snippet.Status.REJECTED) {
                throw compilationFailure(snippet, cellSnippet);
            }
            if (isDisplayedValue(snippet) && control.hasResult(event.value())) {
                result = CellResult.of(control.takeResult(event.value()));
            }
        }
        return result;
    }

    /** Only a bare expression or a variable reference shows its value; declarations stay quiet, as in IJava. */
    private static boolean isDisplayedValue(Snippet snippet) {
        return snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || snippet.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND;
    }

    private RuntimeException translate(JShellException exception, Snippet snippet) {
        if (exception instanceof EvalException) {
            Throwable real = control.takeLastFailure();
            if (real instanceof CellInterruptedException) {
                return (CellInterruptedException) real;
            }
            return new CellRuntimeException(real != null ? real : exception);
        }
        if (exception instanceof UnresolvedReferenceException) {
            var declaration = ((UnresolvedReferenceException) exception).getSnippet();
            List<String> missing = shell.unresolvedDependencies(declaration).collect(Collectors.toList());
            return new UnresolvedReferenceFailure(declaration.source().strip(), missing);
        }
        return new CellRuntimeException(exception);
    }

    private CompilationException compilationFailure(Snippet snippet, CellSnippet cellSnippet) {
        List<CompilationException.Problem> problems = new ArrayList<>();
        String[] sourceLines = cellSnippet.source().split("\n", -1);
        shell.diagnostics(snippet).filter(Diag::isError).forEach(diag -> {
            long position = Math.max(0, diag.getStartPosition());
            int lineInSnippet = cellSnippet.cellLineOf(position) - cellSnippet.firstLine();
            int lineStart = startOfLine(cellSnippet.source(), position);
            int column = diag.getStartPosition() < 0 ? -1 : (int) (position - lineStart);
            int length = (int) Math.max(1, diag.getEndPosition() - diag.getStartPosition());
            String sourceLine = lineInSnippet < sourceLines.length ? sourceLines[lineInSnippet] : "";
            problems.add(new CompilationException.Problem(cellSnippet.cellLineOf(position), sourceLine, column,
                    length, diag.getMessage(Locale.ROOT)));
        });
        if (problems.isEmpty()) {
            problems.add(new CompilationException.Problem(cellSnippet.firstLine(), "", -1, 1,
                    "JShell rejected the snippet without a diagnostic"));
        }
        return new CompilationException(problems);
    }

    private static int startOfLine(String text, long position) {
        int i = (int) Math.min(position, text.length());
        while (i > 0 && text.charAt(i - 1) != '\n') {
            i--;
        }
        return i;
    }

    private static OutputStream lateBound(boolean stdout) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                (stdout ? System.out : System.err).write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                (stdout ? System.out : System.err).write(bytes, offset, length);
            }

            @Override
            public void flush() {
                (stdout ? System.out : System.err).flush();
            }
        };
    }

    @Override
    public void close() {
        shell.close();
    }
}
