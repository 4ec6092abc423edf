package org.moelab.kernel.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository's notebooks are, for the tests. */
final class Notebooks {
    private Notebooks() {
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("moelab.repo.root", "..")).toAbsolutePath().normalize();
    }

    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(repositoryRoot().resolve("notebooks"))) {
            return files.filter(path -> path.toString().endsWith(".ipynb")).sorted().toList();
        }
    }
}
