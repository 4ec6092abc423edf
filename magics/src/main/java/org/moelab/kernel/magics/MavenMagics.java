package org.moelab.kernel.magics;

import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code %maven group:artifact:version ...} as in IJava: resolves the artifacts with their runtime dependencies and
 * adds the jars to the notebook's class path. {@code --offline} (or {@code -o}) uses only the local repository.
 * IJava's Ivy-style {@code group#artifact;version} is not supported; Maven coordinates are.
 */
public final class MavenMagics {
    private static final List<String> OFFLINE_FLAGS = List.of("--offline", "-o");

    private final Consumer<List<Path>> addToClasspath;
    private final boolean offlineByDefault;

    public MavenMagics(Consumer<List<Path>> addToClasspath, boolean offlineByDefault) {
        this.addToClasspath = addToClasspath;
        this.offlineByDefault = offlineByDefault;
    }

    @LineMagic(aliases = {"addMavenDependency", "addMavenDependencies"})
    public List<String> maven(List<String> args) throws Exception {
        List<String> coordinates = args.stream().filter(arg -> !OFFLINE_FLAGS.contains(arg)).toList();
        if (coordinates.isEmpty()) {
            throw new IllegalArgumentException("Usage: %maven group:artifact:version [more...] [--offline]");
        }
        boolean offline = offlineByDefault || coordinates.size() < args.size();
        List<Path> jars = new MavenResolver(offline).resolve(coordinates);
        addToClasspath.accept(jars);
        return jars.stream().map(Path::toString).toList();
    }
}
