package org.moelab.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the "Java (MoE Lab)" kernelspec, like the Kotlin kernel's and IJava's installers:
 * <pre>
 *   install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--classpath CP] [--jvm-opts "OPTS"]
 * </pre>
 * {@code --user} (default) writes to {@code $JUPYTER_DATA_DIR/kernels} or {@code ~/.local/share/jupyter/kernels};
 * {@code --prefix DIR} to {@code DIR/share/jupyter/kernels}; {@code --sys-prefix} asks {@code jupyter-kernelspec}
 * (Jupyter's own Python knows its prefix). The class path defaults to the one this installer runs with, so the
 * kernel starts from exactly the jars that installed it.
 */
public final class KernelspecInstaller {
    public static final String DEFAULT_NAME = "moelab-java";

    private KernelspecInstaller() {
    }

    public static int main(String[] args) throws IOException, InterruptedException {
        InstallRequest request;
        try {
            request = InstallRequest.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(InstallRequest.USAGE);
            return 2;
        }
        if (request.help()) {
            System.out.println(InstallRequest.USAGE);
            return 0;
        }
        Path installed = install(request);
        System.out.println("Installed kernelspec '" + request.name() + "' (Java (MoE Lab)) in " + installed);
        return 0;
    }

    public static Path install(InstallRequest request) throws IOException, InterruptedException {
        KernelJson kernelJson = KernelJson.forCurrentJvm(request.classpath(), request.extraJvmOptions());
        if (request.target() == InstallRequest.Target.SYS_PREFIX) {
            return installThroughJupyter(request, kernelJson);
        }
        Path directory = request.kernelsDirectory().resolve(request.name());
        writeSpec(directory, kernelJson);
        return directory;
    }

    private static void writeSpec(Path directory, KernelJson kernelJson) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("kernel.json"), kernelJson.toJson());
    }

    private static Path installThroughJupyter(InstallRequest request, KernelJson kernelJson)
            throws IOException, InterruptedException {
        Path staging = Files.createTempDirectory("moelab-kernelspec").resolve(request.name());
        writeSpec(staging, kernelJson);
        List<String> command = new ArrayList<>(List.of("jupyter-kernelspec", "install", "--sys-prefix", "--replace",
                "--name", request.name(), staging.toString()));
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException("jupyter-kernelspec install --sys-prefix failed; is Jupyter installed?");
        }
        return staging;
    }
}
