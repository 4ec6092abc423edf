package org.moelab.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.moelab.kernel.install.InstallRequest;
import org.moelab.kernel.install.KernelJson;
import org.moelab.kernel.install.KernelspecInstaller;
import org.moelab.kernel.wire.KernelConnection;

/**
 * Entry point of the kernel JVM.
 * <pre>
 *   java ... org.moelab.kernel.KernelMain CONNECTION_FILE      run as Jupyter's kernel (kernel.json does this)
 *   java ... org.moelab.kernel.KernelMain install [options]    install the kernelspec (see --help)
 *   java ... org.moelab.kernel.KernelMain jvm-options          print the kernel's JVM options
 * </pre>
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: KernelMain CONNECTION_FILE | install [--help] | jvm-options");
            return;
        }
        if (args[0].equals("jvm-options")) {
            // The kernelspec's JVM options, for running notebooks outside Jupyter (./moelab reproduce).
            System.out.println(String.join(" ", KernelJson.forCurrentJvm("", InstallRequest.parse().extraJvmOptions()).jvmOptions()));
            return;
        }
        if (args[0].equals("install")) {
            System.exit(KernelspecInstaller.main(Arrays.copyOfRange(args, 1, args.length)));
        }
        serve(Path.of(args[0]));
    }

    static void serve(Path connectionFile) throws Exception {
        // basekernel logs every message at INFO to stderr; Jupyter would copy all of it into its own log.
        Logger.getLogger("").setLevel(Level.WARNING);
        String json = Files.readString(connectionFile, StandardCharsets.UTF_8);
        JupyterConnection connection = connect(KernelConnectionProperties.parse(json), new MoeLabKernel());
        connection.waitUntilClose();
        System.exit(0);
    }

    /** Binds the kernel to Jupyter's sockets; messages with a bad HMAC signature are dropped, not fatal. */
    static JupyterConnection connect(KernelConnectionProperties properties, BaseKernel kernel)
            throws GeneralSecurityException {
        JupyterConnection connection = new KernelConnection(properties);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        SignatureGuard.protect(connection);
        return connection;
    }
}
