package org.moelab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the files (texts, small weight files) shipped under the repository's {@code data/} folder. Order: a folder named by the system
 * property {@value #DIR_PROPERTY} or the environment variable {@value #DIR_ENV} (only that folder, so an override
 * is never silently ignored); else the copy packaged in kernel-lib under {@value #RESOURCE_DIR} (works from any
 * working directory and from the jar); else {@code data/} of the nearest ancestor of the working directory that
 * holds both {@code data/} and {@code pom.xml}.
 */
public final class ShippedFiles {
    static final String DIR_PROPERTY = "moelab.data.dir";
    static final String DIR_ENV = "MOELAB_DATA_DIR";
    static final String RESOURCE_DIR = "moelab-data/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ShippedFiles() {}

    /** The shipped text {@code name} (".txt" may be left out), e.g. "tinytext". */
    static String read(String name) {
        String file = checkedName(name, "shipped text", "\"tinytext\"");
        if (!file.endsWith(".txt")) file = file + ".txt";
        return new String(readBytes(file, name, ".txt"), StandardCharsets.UTF_8);
    }

    /**
     * The bytes of the shipped file {@code fileName} (with its extension, e.g. "loramixer-copy-base.bin"); an error
     * names where it looked and what is there.
     */
    public static byte[] bytes(String fileName) {
        checkedName(fileName, "shipped file", "\"shapes10-evaluator.bin\"");
        int dot = fileName.lastIndexOf('.');
        return readBytes(fileName, fileName, dot < 0 ? "" : fileName.substring(dot));
    }

    private static String checkedName(String name, String what, String example) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(what + " name must be a plain file name like " + example + ", got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        return name;
    }

    private static byte[] readBytes(String file, String name, String extension) {
        Optional<Path> override = overrideDirectory();
        if (override.isPresent()) return readFromFolder(override.get(), file, name, extension);

        try (InputStream in = ShippedFiles.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
            if (in != null) return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + RESOURCE_DIR + file, e);
        }
        Optional<Path> repoData = repositoryDataDirectory();
        if (repoData.isPresent()) return readFromFolder(repoData.get(), file, name, extension);
        throw new IllegalArgumentException("no shipped file \"" + name + "\": no classpath resource " + RESOURCE_DIR
                + file + " and no data/ folder above " + Path.of("").toAbsolutePath() + "; available: " + available(extension)
                + " (-D" + DIR_PROPERTY + " or " + DIR_ENV + " can name a folder of shipped files)");
    }

    /** Names (without .txt) of the shipped texts {@link #read} would find, sorted. */
    static List<String> available() {
        return available(".txt");
    }

    /** Names (without the extension) of the shipped files with that extension, sorted. */
    static List<String> available(String extension) {
        TreeSet<String> names = new TreeSet<>();
        Optional<Path> override = overrideDirectory();
        if (override.isPresent()) {
            names.addAll(listFolder(override.get(), extension));
        } else {
            names.addAll(listClasspath(extension));
            repositoryDataDirectory().ifPresent(dir -> names.addAll(listFolder(dir, extension)));
        }
        return List.copyOf(names);
    }

    private static byte[] readFromFolder(Path folder, String file, String name, String extension) {
        Path path = folder.resolve(file).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no shipped file \"" + name + "\": " + path + " does not exist; "
                    + "available in " + folder.toAbsolutePath() + ": " + listFolder(folder, extension));
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static Optional<Path> overrideDirectory() {
        String property = System.getProperty(DIR_PROPERTY);
        String env = System.getenv(DIR_ENV);
        String source = property != null && !property.isBlank() ? "system property " + DIR_PROPERTY
                : env != null && !env.isBlank() ? "environment variable " + DIR_ENV : null;
        if (source == null) return Optional.empty();
        Path dir = Path.of(property != null && !property.isBlank() ? property : env).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(source + " names " + dir + ", which is not a directory");
        }
        return Optional.of(dir);
    }

    static Optional<Path> repositoryDataDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("data")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir.resolve("data"));
            }
        }
        return Optional.empty();
    }

    private static List<String> listFolder(Path folder, String extension) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension))
                    .map(n -> n.substring(0, n.length() - extension.length())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    // Resources have no listing API; the folder is either a directory (IDE, Maven test run) or a jar entry prefix.
    private static List<String> listClasspath(String extension) {
        URL url = ShippedFiles.class.getClassLoader().getResource(RESOURCE_DIR);
        if (url == null) return List.of();
        try {
            if ("file".equals(url.getProtocol())) return listFolder(Path.of(url.toURI()), extension);
            if ("jar".equals(url.getProtocol())) {
                List<String> names = new ArrayList<>();
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    Collections.list(jar.entries()).forEach(entry -> {
                        String n = entry.getName();
                        if (n.startsWith(RESOURCE_DIR) && n.endsWith(extension) && n.indexOf('/', RESOURCE_DIR.length()) < 0) {
                            names.add(n.substring(RESOURCE_DIR.length(), n.length() - extension.length()));
                        }
                    });
                }
                return names;
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // Listing only feeds error messages and shippedNames(); reading does not depend on it.
        }
        return List.of();
    }
}
