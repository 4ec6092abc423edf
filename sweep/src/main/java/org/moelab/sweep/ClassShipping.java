package org.moelab.sweep;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Which of the driver's classes go to a cluster's executors with {@code spark.jars}: the lab's own code — its jars
 * ({@code kernel-lib-*.jar}, {@code sweep-*.jar}) and any class folders on the class path (a development build, the
 * tests), each packed into a jar because Spark ships files, not folders. Third-party jars (Spark's, ND4J's) are
 * expected on the cluster's nodes, in the Spark installation's {@code jars/} folder: shipping hundreds of megabytes
 * with every sweep would dwarf a small point's work.
 */
final class ClassShipping {
    private static final List<String> LAB_JARS = List.of("kernel-lib-", "sweep-", "magics-");

    private ClassShipping() {}

    static List<String> jarsToShip(Path workDir) {
        List<String> out = new ArrayList<>();
        int folder = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                out.add(pack(p, workDir.resolve("classes-" + (folder++) + ".jar")).toString());
            } else if (LAB_JARS.stream().anyMatch(prefix -> p.getFileName().toString().startsWith(prefix))) {
                out.add(p.toAbsolutePath().toString());
            }
        }
        return out;
    }

    /** Writes every file under {@code folder} into {@code jar} (entries relative to the folder). */
    static Path pack(Path folder, Path jar) {
        try {
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                 Stream<Path> files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + folder + " into " + jar, e);
        }
    }
}
