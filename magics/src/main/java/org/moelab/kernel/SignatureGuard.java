package org.moelab.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.Loop;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the kernel serving after a message with a bad HMAC signature.
 *
 * <p>basekernel 2.3.0 verifies every message's signature ({@code JupyterSocket.readMessage} throws
 * {@link SecurityException}) but the exception escapes the shell channel's polling loop and ends its thread, so one
 * forged message would silence the kernel for good. This installs an error handler on the shell and control loops
 * that drops the forged message, logs it and keeps polling. The loops are private fields of basekernel 2.3.0
 * (pinned in the parent pom), hence the reflection.
 */
final class SignatureGuard {
    private static final Logger LOG = Logger.getLogger(SignatureGuard.class.getName());
    private static final long KEEP_POLLING_AFTER_MS = 10;

    private SignatureGuard() {
    }

    /** Call after {@link JupyterConnection#connect()}, which creates the loops. */
    static void protect(JupyterConnection connection) {
        for (String channel : new String[] {"shell", "control"}) {
            ShellChannel shell = (ShellChannel) read(JupyterConnection.class, connection, channel);
            Loop loop = (Loop) read(ShellChannel.class, shell, "ioloop");
            if (loop == null) {
                throw new IllegalStateException("The " + channel + " channel is not bound yet");
            }
            loop.onError(SignatureGuard::dropForgedMessages);
        }
    }

    static long dropForgedMessages(Throwable error) {
        if (error instanceof SecurityException) {
            LOG.log(Level.WARNING, "Rejected a message: " + error.getMessage());
            return KEEP_POLLING_AFTER_MS;
        }
        if (error instanceof RuntimeException) {
            throw (RuntimeException) error;
        }
        if (error instanceof Error) {
            throw (Error) error;
        }
        throw new IllegalStateException(error);
    }

    private static Object read(Class<?> type, Object owner, String fieldName) {
        try {
            Field field = type.getDeclaredField(fieldName);
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("basekernel changed: no field " + type.getSimpleName() + "." + fieldName, e);
        }
    }
}
