package org.moelab.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Binder's build, minus Docker: {@code binder/postBuild} runs on a copy of the repository with a scratch HOME (as
 * repo2docker runs it for a fresh user); the kernelspec must land in that HOME and execute a notebook. Maven reuses
 * the local repository the outer build filled, offline, so the test needs no network.
 */
@Tag("jupyter")
class BinderPostBuildTest {
    private static final Set<String> NOT_COPIED = Set.of(".git", "target", "build");

    @Test
    void postBuildInstallsAWorkingKernelForTheUser() throws Exception {
        Path work = InstalledKernel.WORK.resolve("binder");
        deleteRecursively(work);
        Path repository = copyRepository(InstalledKernel.repositoryRoot(), work.resolve("repo"));
        Path home = Files.createDirectories(work.resolve("home"));
        Path localRepository = Path.of(System.getProperty("user.home"), ".m2", "repository");

        Command.of("bash", "binder/postBuild").in(repository)
                .env("HOME", home.toString())
                .env("MAVEN_OPTS", "-Dmaven.repo.local=" + localRepository)
                .env("MOELAB_MAVEN_ARGS", "-o")
                .env("JUPYTER_DATA_DIR", null)
                .env("JUPYTER_PATH", null)
                .run(Duration.ofMinutes(15)).assertSuccess("binder/postBuild");

        Path kernelJson = home.resolve(".local/share/jupyter/kernels/moelab-java/kernel.json");
        assertTrue(Files.isRegularFile(kernelJson), "kernelspec installed for the user: " + kernelJson);
        String spec = Files.readString(kernelJson);
        assertTrue(spec.contains("-Xmx768m") && spec.contains(repository.toString()), spec);

        Path notebook = work.resolve("binder-check.ipynb");
        Files.writeString(notebook, """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                            "source": ["%moe env\\n", "if (Runtime.getRuntime().maxMemory() > 800L << 20) throw new IllegalStateException(\\"heap not capped\\");"]}],
                 "metadata": {"kernelspec": {"name": "moelab-java", "display_name": "Java (MoE Lab)", "language": "java"}},
                 "nbformat": 4, "nbformat_minor": 4}
                """);
        Command.of("jupyter-execute", "--kernel_name=moelab-java", "--startup_timeout=120", notebook.toString())
                .in(work)
                .env("HOME", home.toString())
                .env("JUPYTER_DATA_DIR", null)
                .env("JUPYTER_PATH", null)
                .run(Duration.ofMinutes(5)).assertSuccess("jupyter-execute with the Binder-installed kernel");
    }

    private static Path copyRepository(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(path);
                if (relative.getNameCount() > 0 && NOT_COPIED.contains(relative.getName(0).toString())
                        || relative.toString().contains("/target/") || relative.endsWith("target")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
