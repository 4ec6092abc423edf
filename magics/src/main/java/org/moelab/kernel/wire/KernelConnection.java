package org.moelab.kernel.wire;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.KernelTimestamp;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.publish.PublishStatus;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

/**
 * basekernel's connection with two protocol fixes:
 * <ul>
 *   <li>the {@code status: starting} message it publishes on connect has no {@code session} in its header
 *       (basekernel builds it from a null context), and JupyterLab's client rejects it — "Kernel message validation
 *       error: Missing property 'session'" after every restart. Here it carries the kernel's own session id, as
 *       ipykernel's does;</li>
 *   <li>replayed messages are rejected ({@link ReplayGuard}).</li>
 * </ul>
 */
public final class KernelConnection extends JupyterConnection {
    /** This kernel process's session id (ipykernel: {@code Session.session}). */
    public static final String KERNEL_SESSION = UUID.randomUUID().toString();

    private final KernelConnectionProperties properties;
    private boolean connected;

    public KernelConnection(KernelConnectionProperties properties) throws NoSuchAlgorithmException, InvalidKeyException {
        super(ReplayGuard.guarding(properties));
        this.properties = properties;
    }

    @Override
    public void connect() {
        if (connected) {
            return;
        }
        for (JupyterSocket socket : List.of(heartbeat, shell, control, stdin, iopub)) {
            socket.bind(properties);
        }
        Header<PublishStatus> header = new Header<>(UUID.randomUUID().toString(), Header.KERNEL_USERNAME,
                KERNEL_SESSION, KernelTimestamp.now(), PublishStatus.MESSAGE_TYPE, Header.PROTOCOL_VERISON);
        iopub.sendMessage(new Message<>(header, PublishStatus.STARTING));
        connected = true;
    }

    public ShellChannel shellChannel() {
        return shell;
    }
}
