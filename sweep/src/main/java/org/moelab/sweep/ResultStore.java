package org.moelab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.moelab.lab.AtomicFiles;

/**
 * The finished points of one sweep's experiment: a folder {@code <root>/<spec hash>/} with one file per point, named
 * by the point's hash. A file is written to a temporary name and moved into place atomically, so a point's file is
 * either complete or absent (an interrupted or crashed sweep never leaves half a result). Only successful points are
 * stored: a failed point is tried again on the next run.
 */
public final class ResultStore {
    private static final String SUFFIX = ".point";
    private final Path folder;

    public ResultStore(Path root, String specHash) {
        this.folder = root.resolve(specHash);
    }

    public Path folder() {
        return folder;
    }

    /** Where a point's result lives (whether or not it exists yet). */
    public Path file(String pointHash) {
        return folder.resolve(pointHash + SUFFIX);
    }

    /** The stored result of a point, if it finished before. */
    public Optional<PointResult> find(SweepPoint point, String hash) {
        Path file = file(hash);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(PointResult.ok(point, hash, parseMetrics(Files.readString(file, StandardCharsets.UTF_8)), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sweep result " + file, e);
        }
    }

    /** How many finished points the folder holds (0 when it does not exist yet). */
    public int count() {
        if (!Files.isDirectory(folder)) return 0;
        try (var files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sweep results in " + folder, e);
        }
    }

    /** Stores a successful point (atomically); failed points are not stored. */
    public void store(PointResult result) {
        if (!result.succeeded()) return;
        StringBuilder text = new StringBuilder();
        text.append("point\t").append(result.point()).append('\n');
        result.metrics().forEach((name, value) -> text.append("metric\t").append(name).append('\t').append(value).append('\n'));
        writeAtomically(file(result.hash()), text.toString());
    }

    /** Writes {@code text} to {@code file} through a temporary file in the same folder and an atomic rename. */
    public static void writeAtomically(Path file, String text) {
        try {
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Map<String, Double> parseMetrics(String text) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split("\t");
            // Double.toString round-trips exactly, so a stored metric reads back to the same bits.
            if (parts.length == 3 && parts[0].equals("metric")) metrics.put(parts[1], Double.parseDouble(parts[2]));
        }
        return metrics;
    }
}
