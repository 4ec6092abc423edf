package org.moelab.sweep;

import java.util.Arrays;
import org.moelab.lab.Interrupts;

/**
 * {@code ./moelab sweep PAPER ...}: runs a sweep from the shell, prints its summary (Markdown) and where the files
 * are. Ctrl-C cancels the Spark job and keeps every finished point (the next run resumes). Exit status 2 for bad
 * input (the message names the parameter and what is allowed), 1 when the sweep fails.
 */
public final class SweepMain {
    private SweepMain() {}

    public static void main(String[] args) {
        SweepPlan plan;
        try {
            plan = SweepPlan.parse(Arrays.asList(args));
            plan.validate();
        } catch (IllegalArgumentException e) {
            System.err.println("moelab sweep: " + e.getMessage());
            System.exit(2);
            return;
        }
        Thread main = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        // Ctrl-C: raise the lab's interrupt so the sweep cancels its job and returns, then let the JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.get()) return;
            Interrupts.request();
            try {
                main.join(30_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            SweepReport report = Sweeps.run(plan);
            System.out.println(report.toMarkdown());
            System.out.println("moelab sweep: " + report.computed() + " point(s) trained now (tuning points included), the rest read back; results in "
                    + report.folder());
        } catch (RuntimeException e) {
            finished.set(true);
            System.err.println("moelab sweep: " + e);
            System.exit(1);
        }
        finished.set(true);
        System.exit(0);
    }
}
