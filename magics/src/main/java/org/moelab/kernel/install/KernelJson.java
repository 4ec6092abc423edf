package org.moelab.kernel.install;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernelspec's {@code kernel.json}. The JVM gets explicit memory limits that fit Binder's 1-2 GB (heap, and
 * JavaCPP's off-heap caps for ND4J), headless AWT for charts, and the Vector API module the engine needs. The java
 * executable is the absolute path of the JVM running the installer, so a different {@code java} on Jupyter's PATH
 * (say, Java 8) cannot break the kernel.
 */
public final class KernelJson {
    public static final String DISPLAY_NAME = "Java (MoE Lab)";
    public static final String MAIN_CLASS = "org.moelab.kernel.KernelMain";
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "--add-modules=jdk.incubator.vector",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-Xmx1g",
            "-Dorg.bytedeco.javacpp.maxbytes=1g",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=2g",
            // %moe sweep embeds a Spark driver, which reflects into these JDK packages on Java 17 (see the parent
            // pom's spark.jvm.args; KernelspecInstallerTest keeps the two lists equal).
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED");

    private final List<String> argv;

    private KernelJson(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static KernelJson forCurrentJvm(String classpath, List<String> extraJvmOptions) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.addAll(DEFAULT_JVM_OPTIONS);
        argv.addAll(extraJvmOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(MAIN_CLASS);
        argv.add("{connection_file}");
        return new KernelJson(argv);
    }

    public List<String> argv() {
        return argv;
    }

    /** The JVM options part of {@link #argv()}: between the java executable and {@code -cp}. */
    public List<String> jvmOptions() {
        return argv.subList(1, argv.indexOf("-cp"));
    }

    public String toJson() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        // Java cannot act on SIGINT usefully; Jupyter sends interrupt_request on the control channel instead.
        spec.put("interrupt_mode", "message");
        spec.put("metadata", Map.of("debugger", false));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }
}
