package org.moelab.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel driven exactly as JupyterLab drives it (issue 14): {@code lab_client.js} uses JupyterLab's own client
 * library, {@code @jupyterlab/services} from npm (versions pinned in {@code src/test/lab-client/package-lock.json},
 * installed with {@code npm ci} into {@code target/lab-client}), against Jupyter Notebook's server with the installed
 * kernelspec: session start, kernel_info, execute (plain, multi-statement, chart, {@code %moe env}, {@code %%moe}
 * with live updates), interrupt, Run All with an error, complete/inspect/is_complete, comms, restart. Every message
 * must pass the package's validation. Node and npm come from Debian ({@code ./moelab test} installs them).
 */
@Tag("jupyter")
class LabClientTest {
    private static final Path CLIENT = Path.of("target", "lab-client").toAbsolutePath();

    @Test
    void jupyterLabsClientLibraryDrivesTheKernelWithEveryMessageValid() throws Exception {
        InstalledKernel.install();
        installClientLibrary();
        Path work = Files.createDirectories(InstalledKernel.WORK.resolve("lab-client"));
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        int port = BrowserTest.freePort();
        String token = UUID.randomUUID().toString();
        String url = "http://127.0.0.1:" + port;
        Process jupyter = Command.of("jupyter-notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                        "--port=" + port, "--NotebookApp.token=" + token, "--notebook-dir=" + notebooks)
                .env("JUPYTER_PATH", InstalledKernel.JUPYTER_PATH.toString())
                .env("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString())
                .env("MOELAB_PRESET", "quick")
                .start(work.resolve("jupyter.log"));
        try {
            BrowserTest.waitFor("Jupyter to serve", Duration.ofSeconds(90), () -> BrowserTest.isUp(url + "/api?token=" + token));
            Path script = InstalledKernel.repositoryRoot().resolve("magics/src/test/resources/jupyter/lab_client.js");
            String output = Command.of("node", script.toString())
                    .env("JUPYTER_URL", url)
                    .env("JUPYTER_TOKEN", token)
                    .env("NODE_PATH", CLIENT.resolve("node_modules").toString())
                    .run(Duration.ofMinutes(5)).assertSuccess("node lab_client.js").output();
            System.out.println(output);
            assertTrue(output.contains("OK"), output);
        } finally {
            BrowserTest.stop(jupyter);
        }
    }

    /** {@code npm ci} of the pinned client library into target/lab-client, once per build folder. */
    private static synchronized void installClientLibrary() throws IOException, InterruptedException {
        Path source = InstalledKernel.repositoryRoot().resolve("magics/src/test/lab-client");
        Files.createDirectories(CLIENT);
        boolean changed = false;
        for (String file : new String[] {"package.json", "package-lock.json"}) {
            Path target = CLIENT.resolve(file);
            byte[] wanted = Files.readAllBytes(source.resolve(file));
            if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), wanted)) {
                Files.write(target, wanted);
                changed = true;
            }
        }
        if (!changed && Files.isDirectory(CLIENT.resolve("node_modules/@jupyterlab/services"))) {
            return;
        }
        Command.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").in(CLIENT)
                .run(Duration.ofMinutes(5)).assertSuccess("npm ci of @jupyterlab/services (./moelab test installs "
                        + "Debian's nodejs and npm)");
    }
}
