package org.moelab.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelspecInstallerTest {

    @Test
    void writesAKernelspecWithMemoryLimitsHeadlessAwtAndTheVectorModule(@TempDir Path prefix) throws Exception {
        Path installed = KernelspecInstaller.install(InstallRequest.parse("--prefix", prefix.toString(),
                "--classpath", "lib/*", "--jvm-opts", "-Xmx3g -Dextra=1"));
        assertEquals(prefix.resolve("share/jupyter/kernels/moelab-java"), installed);
        JsonObject spec = JsonParser.parseString(Files.readString(installed.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (MoE Lab)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());

        List<String> argv = new ArrayList<>();
        spec.getAsJsonArray("argv").forEach(arg -> argv.add(arg.getAsString()));
        assertTrue(Path.of(argv.get(0)).isAbsolute(), "an absolute java: " + argv.get(0));
        assertTrue(argv.contains("--add-modules=jdk.incubator.vector"));
        assertTrue(argv.contains("-Djava.awt.headless=true"));
        assertTrue(argv.contains("-Xmx1g"));
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("-Dorg.bytedeco.javacpp.maxbytes=")));
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes=")));
        assertTrue(argv.indexOf("-Xmx3g") > argv.indexOf("-Xmx1g"), "user options come last, so they win");
        String classpath = argv.get(argv.indexOf("-cp") + 1);
        assertTrue(Path.of(classpath.replace("*", "")).isAbsolute() && classpath.endsWith("/lib/*"), classpath);
        assertEquals(List.of("org.moelab.kernel.KernelMain", "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
    }

    @Test
    void theNotebookTestsRunUnderTheKernelsJvmOptions() {
        // magics/pom.xml runs NotebookTest with ${kernel.jvm.args}; keep it equal to what kernel.json launches.
        assertEquals(String.join(" ", KernelJson.DEFAULT_JVM_OPTIONS), System.getProperty("moelab.kernel.jvm.args"));
    }
}
