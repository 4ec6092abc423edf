package org.moelab.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel as Jupyter runs it: installed kernelspec, JVM launched by jupyter_client, messages over ZMQ.
 * The in-process notebook tests already execute every notebook on the same kernel class; here one notebook goes
 * through {@code jupyter nbconvert --execute} to prove the wire protocol and the kernelspec (running every notebook
 * twice would double the CI time for no new coverage).
 */
@Tag("jupyter")
class JupyterKernelTest {

    @BeforeAll
    static void installKernelspec() throws Exception {
        InstalledKernel.install();
        String list = Command.of("jupyter-kernelspec", "list")
                .env("JUPYTER_PATH", InstalledKernel.JUPYTER_PATH.toString())
                .run(Duration.ofMinutes(1)).assertSuccess("jupyter-kernelspec list").output();
        assertTrue(list.contains("moelab-java"), list);
    }

    @Test
    void nbconvertExecutesTheWelcomeNotebookWithChartAndEnvironment() throws Exception {
        Path work = Files.createDirectories(InstalledKernel.WORK.resolve("nbconvert"));
        Path notebook = work.resolve("00-welcome.ipynb");
        Files.copy(InstalledKernel.repositoryRoot().resolve("notebooks/00-welcome.ipynb"), notebook,
                StandardCopyOption.REPLACE_EXISTING);
        Command.of("jupyter-nbconvert", "--to", "notebook", "--execute", notebook.toString(),
                        "--output", "00-welcome.executed.ipynb",
                        "--ExecutePreprocessor.kernel_name=moelab-java",
                        "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=120")
                .env("JUPYTER_PATH", InstalledKernel.JUPYTER_PATH.toString())
                .env("MOELAB_PRESET", "quick")
                .in(work)
                .run(Duration.ofMinutes(10)).assertSuccess("jupyter-nbconvert --execute");

        JsonObject executed = JsonParser.parseString(Files.readString(work.resolve("00-welcome.executed.ipynb")))
                .getAsJsonObject();
        String env = findOutput(executed, "text/plain", "backend");
        assertTrue(env.contains("CpuBackend") && env.contains("heap max"), env);
        String png = findOutput(executed, "image/png", "");
        assertTrue(png.startsWith("iVBORw0KGgo"), "the chart came back as a PNG");
    }

    @Test
    void overTheWireInterruptErrorsAndAssistKeepTheKernelAlive() throws Exception {
        Path script = InstalledKernel.repositoryRoot().resolve("magics/src/test/resources/jupyter/kernel_over_the_wire.py");
        String output = Command.of("/usr/bin/python3", script.toString())
                .env("JUPYTER_PATH", InstalledKernel.JUPYTER_PATH.toString())
                .run(Duration.ofMinutes(5)).assertSuccess("kernel_over_the_wire.py").output();
        assertTrue(output.contains("OK"), output);
    }

    /**
     * Issue 14's jupyter_client cases: kernel_info status, Run All with an error (aborted replies), a replayed
     * signed message, output floods (batched, capped per cell), System.exit, a stack overflow, crafted checkpoints,
     * comms, {@code %%moe help} and magic completion. The script prints its measurements (MEASURE lines).
     */
    @Test
    void heldToIpykernelsStandardOverJupyterClient() throws Exception {
        Path script = InstalledKernel.repositoryRoot().resolve("magics/src/test/resources/jupyter/kernel_conformance.py");
        String output = Command.of("/usr/bin/python3", script.toString())
                .env("JUPYTER_PATH", InstalledKernel.JUPYTER_PATH.toString())
                .env("MOELAB_MAX_CELL_OUTPUT", null)
                .run(Duration.ofMinutes(10)).assertSuccess("kernel_conformance.py").output();
        System.out.println(output);
        assertTrue(output.contains("OK"), output);
    }

    /** The first output value of the given MIME type containing {@code marker}; fails if none. */
    static String findOutput(JsonObject notebook, String mimeType, String marker) {
        for (JsonElement cell : notebook.getAsJsonArray("cells")) {
            JsonArray outputs = cell.getAsJsonObject().getAsJsonArray("outputs");
            if (outputs == null) {
                continue;
            }
            for (JsonElement output : outputs) {
                JsonObject data = output.getAsJsonObject().getAsJsonObject("data");
                if (data != null && data.has(mimeType)) {
                    JsonElement value = data.get(mimeType);
                    String text = value.isJsonArray() ? joined(value.getAsJsonArray()) : value.getAsString();
                    if (text.contains(marker)) {
                        return text;
                    }
                }
            }
        }
        throw new AssertionError("no " + mimeType + " output containing '" + marker + "' in the executed notebook");
    }

    private static String joined(JsonArray lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line.getAsString()));
        return text.toString();
    }
}
