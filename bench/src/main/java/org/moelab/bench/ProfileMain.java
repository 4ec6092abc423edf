package org.moelab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Profiles the steady state of a training step with JFR: warms up (so the samples show C2-compiled code, not
 * the interpreter and the Vector API's Java fallbacks), then records execution samples every millisecond while
 * it keeps stepping. bench/profile/run summarises the recording with jfr_top.py.
 *
 * <pre>java ... org.moelab.bench.ProfileMain lm-small|lm-large [warmupSeconds] [recordSeconds] [out.jfr]</pre>
 */
public final class ProfileMain {
    private ProfileMain() {}

    public static void main(String[] args) throws IOException, ParseException {
        TrainStepBenchmark.Config c = switch (args.length > 0 ? args[0] : "lm-small") {
            case "lm-small" -> TrainStepBenchmark.SMALL;
            case "lm-large" -> TrainStepBenchmark.LARGE;
            default -> throw new IllegalArgumentException("unknown config " + args[0] + " (lm-small, lm-large)");
        };
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 15;
        double record = args.length > 2 ? Double.parseDouble(args[2]) : 20;
        Path out = Path.of(args.length > 3 ? args[3] : "build/bench/" + c.name() + ".jfr");
        System.setProperty("moelab.threads", System.getProperty("bench.threads", "2"));

        TrainStepBenchmark.Setup s = new TrainStepBenchmark.Setup(c);
        int warmSteps = runFor(s, warmup);
        try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
            r.start();
            long t0 = System.nanoTime();
            int steps = runFor(s, record);
            double ms = (System.nanoTime() - t0) / 1e6 / steps;
            r.stop();
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            r.dump(out);
            System.out.printf(Locale.ROOT, "%s: %d warm-up steps, then %d recorded steps, %.1f ms/step -> %s%n",
                    c.name(), warmSteps, steps, ms, out);
        }
    }

    private static int runFor(TrainStepBenchmark.Setup s, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end || n < 3) {
            s.step();
            n++;
        }
        return n;
    }
}
