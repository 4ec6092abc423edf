package org.moelab.kernel.magics;

import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * IJava's {@code %classpath} (jars and class folders, globs allowed, several paths per entry separated by the
 * path separator) and {@code %jars} (jar files only, kept for IJava notebooks).
 */
public final class ClasspathMagics {
    private final Consumer<List<Path>> addToClasspath;

    /** @param addToClasspath receives all paths of one magic at once (each JShell class path change costs). */
    public ClasspathMagics(Consumer<List<Path>> addToClasspath) {
        this.addToClasspath = addToClasspath;
    }

    @LineMagic
    public List<String> classpath(List<String> args) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String arg : args) {
            for (String entry : arg.split(File.pathSeparator)) {
                paths.addAll(matching(entry, false));
            }
        }
        return add(paths);
    }

    @LineMagic
    public List<String> jars(List<String> args) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String glob : args) {
            for (Path path : matching(glob, true)) {
                if (path.toString().endsWith(".jar")) {
                    paths.add(path);
                }
            }
        }
        return add(paths);
    }

    private List<String> add(List<Path> paths) {
        if (!paths.isEmpty()) {
            addToClasspath.accept(paths);
        }
        return paths.stream().map(Path::toString).toList();
    }

    private static List<Path> matching(String glob, boolean filesOnly) throws IOException {
        List<Path> found = new ArrayList<>();
        GlobFinder finder = new GlobFinder(glob);
        for (Path path : filesOnly ? finder.computeMatchingFiles() : finder.computeMatchingPaths()) {
            found.add(path.toAbsolutePath());
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("Nothing matches " + glob
                    + (Files.exists(Path.of(glob)) ? "" : " (working directory: " + Path.of("").toAbsolutePath() + ")"));
        }
        return found;
    }
}
