package org.moelab.kernel.jupyter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.moelab.kernel.install.InstallRequest;
import org.moelab.kernel.install.KernelspecInstaller;

/**
 * The kernelspec installed into a scratch prefix under {@code target/}, launched from the jars {@code mvn package}
 * just laid out; tests point Jupyter at it with {@code JUPYTER_PATH} so the user's own kernels stay untouched.
 */
final class InstalledKernel {
    static final Path WORK = Path.of("target", "jupyter").toAbsolutePath();
    static final Path JUPYTER_PATH = WORK.resolve("prefix/share/jupyter");

    private InstalledKernel() {
    }

    static synchronized Path install() throws IOException, InterruptedException {
        String classpath = System.getProperty("moelab.kernel.classpath");
        if (classpath == null || !Files.isRegularFile(Path.of(classpath.split(":")[0]))) {
            throw new IllegalStateException("The kernel jar is missing; run these tests with `mvn verify -Pjupyter` "
                    + "(after package): " + classpath);
        }
        return KernelspecInstaller.install(InstallRequest.parse("--prefix", WORK.resolve("prefix").toString(),
                "--classpath", classpath));
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("moelab.repo.root", "..")).toAbsolutePath().normalize();
    }
}
