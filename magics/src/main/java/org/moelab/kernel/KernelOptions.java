package org.moelab.kernel;

import java.time.Duration;
import java.util.List;

/**
 * Settings of one kernel instance.
 *
 * @param compilerOptions javac options for JShell; the Vector API module must be visible to snippets too
 * @param stopGrace       how long an interrupted cell may take to stop on its own before it is forced to
 * @param mavenOffline    resolve {@code %maven} from the local repository only
 */
public record KernelOptions(List<String> compilerOptions, Duration stopGrace, boolean mavenOffline) {
    public static final List<String> DEFAULT_COMPILER_OPTIONS = List.of("--add-modules", "jdk.incubator.vector");

    /** Defaults, adjustable with {@code MOELAB_STOP_GRACE_MS} and {@code MOELAB_MAVEN_OFFLINE=true}. */
    public static KernelOptions fromEnvironment() {
        String grace = System.getenv().getOrDefault("MOELAB_STOP_GRACE_MS", "1500");
        boolean offline = Boolean.parseBoolean(System.getenv().getOrDefault("MOELAB_MAVEN_OFFLINE", "false"));
        return new KernelOptions(DEFAULT_COMPILER_OPTIONS, Duration.ofMillis(Long.parseLong(grace)), offline);
    }
}
