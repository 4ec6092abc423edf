package org.moelab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark, not a test: points per hour of one sweep trained sequentially in this thread (no Spark) against the
 * same points on embedded Spark with {@code local[1]} and {@code local[2]}, and Spark's overhead per point (start-up
 * of the context, serialisation, scheduling). Run with {@code -Dmoelab.threads=1} so every point is single-threaded
 * as a sweep's tasks are:
 * <pre>java -Dmoelab.threads=1 [Spark's --add-opens] -cp ... org.moelab.sweep.SweepBench [points] [steps]</pre>
 * The points are MoM recall points (arm MOM, quick preset) with {@code steps} training steps, chosen so one point
 * takes about 5 s on the machine measured; each mode writes to its own fresh folder so none reads another's results.
 * Prints a Markdown table; the load average belongs next to it (the numbers are wall-clock).
 */
public final class SweepBench {
    private SweepBench() {}

    public static void main(String[] args) throws Exception {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        String steps = args.length > 1 ? args[1] : "100";
        Path root = Files.createTempDirectory("moelab-sweep-bench");
        SweepPlan plan = plan(root.resolve("warm-up"), "local[1]", points, steps);
        List<SweepPoint> all = Sweeps.points(plan.validate(), plan.arms(), plan.seeds(), java.util.Map.of());
        // JIT and the shipped data's first load would otherwise be charged to whichever mode runs first.
        new PaperPoints().measure(all.get(0));

        long t = System.nanoTime();
        for (SweepPoint p : all) new PaperPoints().measure(p);
        double sequential = seconds(t);

        // The first context in a JVM also loads Spark's classes (measured: about 4x a later start); a notebook pays
        // that once per kernel, so the per-sweep start-up is the second one.
        t = System.nanoTime();
        new SparkPoints(new SparkPoints.Options("local[1]", 1, root.resolve("ship"))).close();
        double firstStartUp = seconds(t);
        t = System.nanoTime();
        new SparkPoints(new SparkPoints.Options("local[1]", 1, root.resolve("ship"))).close();
        double startUp = seconds(t);

        List<String> rows = new ArrayList<>();
        rows.add(row("sequential, one thread, no Spark", points, sequential));
        double local1 = 0;
        for (String master : List.of("local[1]", "local[2]")) {
            t = System.nanoTime();
            SweepReport report = Sweeps.run(plan(root.resolve(master.replaceAll("\\W", "")), master, points, steps));
            double wall = seconds(t);
            if (report.computed() != points) throw new IllegalStateException(master + " trained " + report.computed() + " of " + points);
            if (master.equals("local[1]")) local1 = wall;
            rows.add(row("Spark " + master + " (context start included)", points, wall));
        }
        System.out.println("| mode | points | wall s | s / point | points / hour |\n|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nSpark context start-up + stop: %.1f s the first time in a JVM, %.1f s later; overhead per point at local[1] beyond it: %.2f s (%.1f%% of a %.1f s point)%n",
                firstStartUp, startUp, (local1 - sequential - startUp) / points, 100 * (local1 - sequential - startUp) / sequential, sequential / points);
        deleteQuietly(root);
    }

    private static SweepPlan plan(Path out, String master, int points, String steps) {
        return SweepPlan.parse(List.of("mom", "--seeds", "1.." + points, "--arms", "MOM", "--set", "steps=" + steps, "--master", master,
                "--out", out.toString()));
    }

    private static String row(String mode, int points, double wall) {
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.0f |", mode, points, wall, wall / points, points * 3600 / wall);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteQuietly(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
