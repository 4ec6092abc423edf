package org.moelab.kernel;

import java.time.Duration;
import java.util.List;
import org.moelab.kernel.wire.OutputPolicy;

/**
 * Settings of one kernel instance.
 *
 * @param compilerOptions javac options for JShell; the Vector API module must be visible to snippets too
 * @param stopGrace       how long an interrupted cell may take to stop on its own before it is forced to
 * @param mavenOffline    resolve {@code %maven} from the local repository only
 * @param output          how printed output is batched and capped per cell over the wire
 */
public record KernelOptions(List<String> compilerOptions, Duration stopGrace, boolean mavenOffline, OutputPolicy output) {
    public static final List<String> DEFAULT_COMPILER_OPTIONS = List.of("--add-modules", "jdk.incubator.vector");

    public KernelOptions(List<String> compilerOptions, Duration stopGrace, boolean mavenOffline) {
        this(compilerOptions, stopGrace, mavenOffline, OutputPolicy.DEFAULT);
    }

    /**
     * Defaults, adjustable with {@code MOELAB_STOP_GRACE_MS}, {@code MOELAB_MAVEN_OFFLINE=true},
     * {@code MOELAB_MAX_CELL_OUTPUT} and {@code MOELAB_OUTPUT_FLUSH_MS}.
     */
    public static KernelOptions fromEnvironment() {
        String grace = System.getenv().getOrDefault("MOELAB_STOP_GRACE_MS", "1500");
        boolean offline = Boolean.parseBoolean(System.getenv().getOrDefault("MOELAB_MAVEN_OFFLINE", "false"));
        return new KernelOptions(DEFAULT_COMPILER_OPTIONS, Duration.ofMillis(Long.parseLong(grace)), offline,
                OutputPolicy.fromEnvironment(System.getenv()));
    }
}
