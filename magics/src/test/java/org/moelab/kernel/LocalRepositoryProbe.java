package org.moelab.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/**
 * Puts two tiny artifacts into the user's local Maven repository ({@code org.moelab.test:probe-a:1.0}, which depends
 * on {@code probe-b}), so {@code %maven --offline} can be tested on a fresh machine without the network.
 */
final class LocalRepositoryProbe {
    private static final String GROUP = "org.moelab.test";

    private LocalRepositoryProbe() {
    }

    String coordinates() {
        return GROUP + ":probe-a:1.0";
    }

    static LocalRepositoryProbe install() throws IOException {
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path work = Files.createTempDirectory("moelab-probe");
        Path b = artifact(repository, work, "probe-b", "package org.moelab.probe.b; public class B { public static String hi() { return \"probe-b says hi\"; } }", "", null);
        String dependency = "<dependencies><dependency><groupId>" + GROUP + "</groupId><artifactId>probe-b</artifactId>"
                + "<version>1.0</version></dependency></dependencies>";
        artifact(repository, work, "probe-a", "package org.moelab.probe.a; public class A { public static String greet() { return org.moelab.probe.b.B.hi(); } }", dependency, b);
        return new LocalRepositoryProbe();
    }

    private static Path artifact(Path repository, Path work, String artifactId, String source, String dependencies,
                                 Path classpathJar) throws IOException {
        Path sources = Files.createDirectories(work.resolve(artifactId + "-src"));
        Path file = sources.resolve(artifactId.equals("probe-a") ? "A.java" : "B.java"); // public class A or B
        Files.writeString(file, source);
        Path classes = Files.createDirectories(work.resolve(artifactId + "-classes"));
        String cp = classpathJar == null ? "" : classpathJar.toString();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", cp, "-d", classes.toString(), file.toString());
        if (status != 0) {
            throw new IOException("could not compile " + artifactId);
        }
        Path folder = Files.createDirectories(repository.resolve(GROUP.replace('.', '/')).resolve(artifactId).resolve("1.0"));
        Path jar = folder.resolve(artifactId + "-1.0.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            try (var paths = Files.walk(classes)) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(path));
                    jarOut.closeEntry();
                }
            }
        }
        Files.writeString(folder.resolve(artifactId + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion><groupId>" + GROUP
                + "</groupId><artifactId>" + artifactId + "</artifactId><version>1.0</version>" + dependencies + "</project>");
        return jar;
    }
}
