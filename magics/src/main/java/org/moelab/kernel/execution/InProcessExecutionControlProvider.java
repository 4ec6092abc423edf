package org.moelab.kernel.execution;

import java.time.Duration;
import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell our {@link InProcessExecutionControl} and remembers it so the evaluator can talk to it. */
final class InProcessExecutionControlProvider implements ExecutionControlProvider {
    private final Duration stopGrace;
    private InProcessExecutionControl control;

    InProcessExecutionControlProvider(Duration stopGrace) {
        this.stopGrace = stopGrace;
    }

    @Override
    public String name() {
        return "moelab-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        // DirectExecutionControl's loader delegate makes its class loader the *current* thread's context loader.
        // Capture it for the snippet threads, then give the building thread its own loader back.
        ClassLoader builderLoader = Thread.currentThread().getContextClassLoader();
        control = new InProcessExecutionControl(stopGrace);
        control.runSnippetsWith(Thread.currentThread().getContextClassLoader());
        Thread.currentThread().setContextClassLoader(builderLoader);
        return control;
    }

    InProcessExecutionControl control() {
        if (control == null) {
            throw new IllegalStateException("JShell has not created its execution engine yet");
        }
        return control;
    }
}
