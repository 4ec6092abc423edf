package org.moelab.kernel.execution;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import org.moelab.lab.Interrupts;

/**
 * JShell's execution engine, in the kernel's own JVM (IJava's approach). Two things differ from JShell's
 * {@code "local"} engine:
 * <ul>
 *   <li>the value of an expression is kept as a live object in a side table and JShell only sees a key, so a chart
 *       or an image reaches the renderer as itself, not as its {@code toString()};</li>
 *   <li>a failing snippet's real {@link Throwable} is kept (JShell would reduce it to class name, message and
 *       stack), so errors show their causes.</li>
 * </ul>
 * Snippets run on a dedicated thread whose context class loader is JShell's, so {@code ServiceLoader} lookups in
 * user code see jars added with {@code %classpath}/{@code %maven}.
 */
public final class InProcessExecutionControl extends DirectExecutionControl {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Map<String, Object> results = Collections.synchronizedMap(new HashMap<>());
    private final AtomicLong resultKeys = new AtomicLong();
    private final Duration stopGrace;
    private ExecutorService executor;
    private volatile RunningSnippet running;
    private volatile Throwable lastFailure;
    /** Set by an interrupt that arrives between snippets (say, while the next one compiles). */
    private volatile boolean cellInterrupted;

    InProcessExecutionControl(Duration stopGrace) {
        this.stopGrace = stopGrace;
    }

    /** Called once by the provider with JShell's class loader, which the JShell constructor just created. */
    void runSnippetsWith(ClassLoader snippetLoader) {
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "moelab-cell-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(snippetLoader);
            return thread;
        };
        executor = Executors.newCachedThreadPool(factory);
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (cellInterrupted) {
            lastFailure = new CellInterruptedException();
            throw new InvocationTargetException(lastFailure);
        }
        RunningSnippet snippet = new RunningSnippet(doit);
        RunningSnippet outer = running; // non-null when a cell evaluates code itself (%load, eval(...))
        running = snippet;
        try {
            Object value = snippet.start(executor).awaitResult(stopGrace);
            String key = "moelab-result-" + resultKeys.incrementAndGet();
            results.put(key, value);
            return key;
        } catch (InvocationTargetException failure) {
            lastFailure = failure.getCause();
            throw failure;
        } finally {
            running = outer;
        }
    }

    /** Interrupts the running snippet, if any, and raises the notebook-visible interrupt flag. */
    public void interrupt() {
        Interrupts.request();
        cellInterrupted = true;
        RunningSnippet snippet = running;
        if (snippet != null) {
            snippet.interrupt();
        }
    }

    @Override
    public void stop() {
        interrupt();
    }

    /** Trades the key JShell reported as a snippet's value for the live object; {@code null} is a valid value. */
    Object takeResult(String key) {
        return results.remove(key);
    }

    boolean hasResult(String key) {
        return key != null && results.containsKey(key);
    }

    /** The real exception of the last failing snippet, consumed once. */
    Throwable takeLastFailure() {
        Throwable failure = lastFailure;
        lastFailure = null;
        return failure;
    }

    /**
     * A new top-level cell begins: forget the previous interrupt and the values of earlier cells (declarations
     * produce values too; nobody asks for them).
     */
    void startCell() {
        cellInterrupted = false;
        results.clear();
    }

    /** Every class a cell defines passes through {@link ExitGuard}: System.exit in a cell must not end the kernel. */
    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(guarded(classes));
    }

    @Override
    public void redefine(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.redefine(guarded(classes));
    }

    private static ClassBytecodes[] guarded(ClassBytecodes[] classes) {
        ClassBytecodes[] out = new ClassBytecodes[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = new ClassBytecodes(classes[i].name(), ExitGuard.rewrite(classes[i].bytecodes()));
        }
        return out;
    }

    @Override
    public void close() {
        super.close();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
