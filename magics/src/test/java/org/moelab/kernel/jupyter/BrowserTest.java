package org.moelab.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a user does: Jupyter Notebook with the MoE Lab kernel, {@code 00-welcome.ipynb} opened in a real browser
 * (Debian's chromium, headless), Run All; the {@code %moe env} table and the chart must appear. A screenshot is saved
 * to {@code build/browser/00-welcome.png}. The notebook is a copy, so the Notebook's autosave cannot write outputs
 * into the committed file.
 */
@Tag("jupyter")
@Tag("browser")
class BrowserTest {
    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--window-size=1280,1600");

    @Test
    void welcomeNotebookRunsInChromiumWithTheChartVisible() throws Exception {
        InstalledKernel.install();
        Path work = Files.createDirectories(InstalledKernel.WORK.resolve("browser"));
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        Files.copy(InstalledKernel.repositoryRoot().resolve("notebooks/00-welcome.ipynb"),
                notebooks.resolve("00-welcome.ipynb"), StandardCopyOption.REPLACE_EXISTING);
        int jupyterPort = freePort();
        int driverPort = freePort();
        String token = UUID.randomUUID().toString();
        String jupyterUrl = "http://127.0.0.1:" + jupyterPort;

        Process jupyter = Command.of("jupyter-notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                        "--port=" + jupyterPort, "--NotebookApp.token=" + token, "--notebook-dir=" + notebooks)
                .env("JUPYTER_PATH", InstalledKernel.JUPYTER_PATH.toString())
                .env("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString())
                .env("MOELAB_PRESET", "quick")
                .start(work.resolve("jupyter.log"));
        Process driver = Command.of("chromedriver", "--port=" + driverPort).start(work.resolve("chromedriver.log"));
        try {
            waitFor("Jupyter to serve", Duration.ofSeconds(90), () -> isUp(jupyterUrl + "/api?token=" + token));
            String driverUrl = "http://127.0.0.1:" + driverPort;
            waitFor("chromedriver", Duration.ofSeconds(30), () -> WebDriver.isReady(driverUrl));
            List<String> flags = new java.util.ArrayList<>(CHROMIUM_FLAGS);
            flags.add("--user-data-dir=" + Files.createTempDirectory("moelab-chromium"));
            try (WebDriver browser = WebDriver.chromium(driverUrl, flags)) {
                browser.open(jupyterUrl + "/notebooks/00-welcome.ipynb?token=" + token);
                waitFor("the kernel to connect", Duration.ofSeconds(180), () -> truthy(browser,
                        "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                                + " && Jupyter.notebook.kernel.is_connected()"
                                + " && Jupyter.notebook.kernel.name === 'moelab-java');"));
                browser.script("Jupyter.notebook.execute_all_cells(); return true;");
                waitFor("all cells to run", Duration.ofSeconds(300), () -> truthy(browser,
                        "return Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code'"
                                + " || (typeof c.input_prompt_number === 'number'));"));

                assertEquals(0, browser.script("return document.querySelectorAll('.output_error').length;").getAsInt(),
                        () -> "errors in the page: " + safeText(browser));
                String pageText = browser.script("return document.body.innerText;").getAsString();
                assertTrue(pageText.contains("CpuBackend") && pageText.contains("default seed"),
                        "%moe env output is visible");
                assertTrue(browser.script("const img = document.querySelector('.output_area img');"
                        + " return !!img && img.naturalWidth > 100 && img.complete;").getAsBoolean(), "the chart image is shown");
                browser.script("document.querySelector('.output_area img').scrollIntoView(); return true;");
                Path screenshot = InstalledKernel.repositoryRoot().resolve("build/browser/00-welcome.png");
                Files.createDirectories(screenshot.getParent());
                Files.write(screenshot, browser.screenshot());
                assertTrue(Files.size(screenshot) > 10_000, "screenshot written to " + screenshot);
            }
        } finally {
            stop(driver);
            stop(jupyter);
        }
    }

    private static String safeText(WebDriver browser) {
        try {
            return browser.script("return Array.from(document.querySelectorAll('.output_error')).map(e => e.innerText).join('\\n');").getAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static boolean truthy(WebDriver browser, String script) {
        try {
            return browser.script(script).getAsBoolean();
        } catch (Exception e) {
            return false;
        }
    }

    static boolean isUp(String url) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
