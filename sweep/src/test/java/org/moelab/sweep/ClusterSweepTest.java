package org.moelab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and one worker started as processes from the Spark jars on
 * this test's class path (SPARK_HOME is a folder of links to them under target/), the same sweep through
 * spark://127.0.0.1:port, bit-equal to the directly trained points, with one point failing its first attempt.
 */
class ClusterSweepTest {
    private static final Path TARGET = Path.of("target", "spark-cluster").toAbsolutePath();
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static String master;

    @TempDir
    Path out;

    /** Wraps the papers' runner: the point with {@code flakySeed} and {@code flakyArm} throws on its first attempt. */
    record FlakyOnce(String flakyArm, long flakySeed) implements PointRunner {
        @Override
        public Map<String, Double> measure(SweepPoint point) {
            if (point.arm().equals(flakyArm) && point.seed() == flakySeed && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("first attempt fails");
            }
            return new PaperPoints().measure(point);
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Path sparkHome = TARGET.resolve("spark-home");
        Path jars = sparkHome.resolve("jars");
        if (Files.exists(TARGET)) deleteRecursively(TARGET);
        Files.createDirectories(jars);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        PROCESSES.add(start(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0"));
        awaitPort(port, TARGET.resolve("master.log"));
        PROCESSES.add(start(sparkHome, "worker", "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1", "--cores", "2", "--memory", "1g",
                "--webui-port", "0", "--work-dir", TARGET.resolve("work").toString()));
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        // Worker first (it stops its executors), then the master.
        for (int i = PROCESSES.size() - 1; i >= 0; i--) {
            Process p = PROCESSES.get(i);
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS) // a hang guard, not a speed check
    void theClusterGivesTheBitsOfTheDirectlyTrainedPointsAndRetriesAFailedAttempt() {
        SweepReport report = Sweeps.run(TinySweeps.gridPlan(master, out), new FlakyOnce("MOM", 2));
        assertEquals(8, report.points().size());
        assertEquals(10, report.tasksStarted(), "8 points; MOM seed 2 retried once per lr");
        List<Map<String, Double>> direct = TinySweeps.direct(report.points());
        for (int i = 0; i < direct.size(); i++) {
            PointResult r = report.points().get(i);
            assertTrue(r.succeeded(), r.toString());
            assertEquals(direct.get(i), r.metrics(), "bit-equal metrics of " + r.point() + " from the cluster");
        }
        LocalSweepTest.assertSummaryIsTheDirectStatistics(report.summary(), report.points(), direct);
    }

    private static Process start(Path sparkHome, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(List.of(SparkMasters.EXECUTOR_JAVA_OPTIONS.split(" ")));
        command.addAll(List.of("-cp", sparkHome.resolve("jars") + File.separator + "*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(TARGET.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        // Without it the worker cannot build executor class paths ("Cannot find any build directories").
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        return pb.start();
    }

    /**
     * Waits until the master listens (Spark's own logs are silenced by the lab's slf4j-nop, so the port is the sign);
     * fails with the process's output when it died first. The sweep itself then waits for the worker's executors.
     */
    private static void awaitPort(int port, Path log) throws Exception {
        for (int i = 0; i < 1200; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            for (Process p : PROCESSES) {
                if (!p.isAlive()) throw new IllegalStateException("a Spark process exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the master never listened on " + port + ":\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) deleteRecursively(c);
            }
        }
        Files.deleteIfExists(p);
    }
}
