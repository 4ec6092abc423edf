package org.moelab.kernel.jupyter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (Jupyter's entry points, chromedriver, a shell script) and collects its output. A
 * missing program is an {@link IOException}: these tests fail, never skip, when Jupyter or chromium is absent.
 */
final class Command {
    private final List<String> argv;
    private final Map<String, String> environment = new HashMap<>();
    private Path directory = Path.of(".");

    private Command(List<String> argv) {
        this.argv = argv;
    }

    static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    /** Sets a variable for the child; {@code null} removes one inherited from this JVM. */
    Command env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Command in(Path workingDirectory) {
        this.directory = workingDirectory;
        return this;
    }

    /** Runs to completion; the output is stdout and stderr interleaved. */
    Result run(Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("moelab-command", ".log");
        Process process = start(log);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(argv + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Starts in the background, output to {@code log}. */
    Process start(Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return builder.start();
    }

    record Result(int exitCode, String output) {
        Result assertSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + output);
            }
            return this;
        }
    }
}
