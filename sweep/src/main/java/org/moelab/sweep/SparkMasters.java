package org.moelab.sweep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master URLs a sweep accepts and what each needs: {@code local}, {@code local[N]} or {@code local[*]} (embedded,
 * tasks are threads of this JVM), {@code spark://host:port} (a standalone cluster; checked reachable before any
 * work), {@code yarn} and {@code k8s://https://host:port} (handed to Spark as they are).
 */
final class SparkMasters {
    static final String ALLOWED = "local, local[N], local[*], spark://host:port, yarn, k8s://https://host:port";
    /** JVM flags Spark needs on Java 17 (measured), the Vector API the engine uses, and one engine thread per task. */
    static final String EXECUTOR_JAVA_OPTIONS = "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
            + "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dmoelab.threads=1";
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\s*\\d+)?\\])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^:/]+):(\\d+)");
    private static final int CONNECT_TIMEOUT_MS = 3000;

    private static final Pattern OPENS = Pattern.compile("--add-opens=java\\.base/([\\w.]+)=ALL-UNNAMED");

    private SparkMasters() {}

    /**
     * The java.base packages of {@link #EXECUTOR_JAVA_OPTIONS}'s {@code --add-opens} that {@code isOpen} says are not
     * open: the driver needs the same opens as the executors, and a JVM started without them (a kernelspec installed
     * before the kernel carried them) fails deep inside Spark's start-up instead.
     */
    static java.util.List<String> missingOpens(java.util.function.Predicate<String> isOpen) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        Matcher m = OPENS.matcher(EXECUTOR_JAVA_OPTIONS);
        while (m.find()) if (!isOpen.test(m.group(1))) missing.add(m.group(1));
        return missing;
    }

    /** Throws IllegalStateException naming the missing flags when this JVM cannot run a Spark driver. */
    static void checkThisJvm() {
        Module unnamed = SparkMasters.class.getClassLoader().getUnnamedModule();
        java.util.List<String> missing = missingOpens(pkg -> Object.class.getModule().isOpen(pkg, unnamed));
        if (missing.isEmpty()) return;
        StringBuilder flags = new StringBuilder();
        for (String pkg : missing) flags.append(" --add-opens=java.base/").append(pkg).append("=ALL-UNNAMED");
        throw new IllegalStateException("this JVM cannot start Spark: it lacks" + flags + " (reinstall the kernel with ./moelab install-kernel,"
                + " or add them to MOELAB_JVM_OPTS)");
    }

    static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /** A standalone master on this machine (127.0.0.1 or localhost). */
    static boolean isLoopback(String master) {
        Matcher m = STANDALONE.matcher(master);
        return m.matches() && (m.group(1).equals("127.0.0.1") || m.group(1).equals("localhost"));
    }

    /**
     * Throws IllegalArgumentException naming {@code --master}, the value and the allowed forms when the URL is not
     * one, or when a standalone master does not answer (so a typo fails before anything is trained).
     */
    static void check(String master) {
        if (isLocal(master) || master.equals("yarn") || master.startsWith("k8s://")) return;
        Matcher m = STANDALONE.matcher(master);
        if (!m.matches()) throw new IllegalArgumentException("--master '" + master + "' is not a master URL; allowed: " + ALLOWED);
        String host = m.group(1);
        int port = Integer.parseInt(m.group(2));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw new IllegalArgumentException("--master " + master + ": no Spark master answers at " + host + ":" + port + " ("
                    + e.getMessage() + "); start one, or use local[N] (allowed: " + ALLOWED + ")");
        }
    }

    /**
     * The master Spark is given: local mode retries a task only when the URL says so ({@code local[N,F]}), so the
     * sweep's retry count is written into it; other masters read {@code spark.task.maxFailures}.
     */
    static String withRetries(String master, int maxFailures) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) return master;
        String threads = m.group(1) == null ? "1" : m.group(1);
        return "local[" + threads + "," + maxFailures + "]";
    }
}
