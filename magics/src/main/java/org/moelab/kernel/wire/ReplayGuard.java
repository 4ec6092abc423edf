package org.moelab.kernel.wire;

import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * ipykernel's digest history: a correctly signed message whose signature was already seen is a replay and is
 * rejected ("duplicate signature"). basekernel 2.3.0 checks signatures inside {@code JupyterSocket.readMessage}
 * through the connection's {@link HMACGenerator}; this generator remembers every signature it computed and, for one
 * computed a second time, returns a value that cannot match, so the socket rejects the message as badly signed
 * ({@code SignatureGuard} drops it and the kernel keeps serving). Outgoing messages pass through it too; each has a
 * fresh UUID and timestamp in its header, so their signatures never repeat. Like ipykernel, the history keeps the
 * last {@value #HISTORY} signatures. With no key (no signing) nothing is checked, as in ipykernel.
 */
final class ReplayGuard extends HMACGenerator {
    static final int HISTORY = 1 << 16;
    private static final Logger LOG = Logger.getLogger(ReplayGuard.class.getName());

    private final Set<String> seen = new LinkedHashSet<>();

    ReplayGuard(String algorithm, String key) throws NoSuchAlgorithmException, InvalidKeyException {
        super(algorithm, key);
    }

    @Override
    public synchronized String calculateSignature(byte[]... parts) {
        String signature = super.calculateSignature(parts);
        if (!seen.add(signature)) {
            LOG.warning("Rejected a message: duplicate signature (a replayed message)");
            return "replayed:" + signature;
        }
        if (seen.size() > HISTORY) {
            Iterator<String> oldest = seen.iterator();
            for (int i = 0; i < HISTORY / 10 && oldest.hasNext(); i++) {
                oldest.next();
                oldest.remove();
            }
        }
        return signature;
    }

    /** The connection's properties with this generator in place of basekernel's (when there is a key). */
    static KernelConnectionProperties guarding(KernelConnectionProperties p) {
        return new KernelConnectionProperties(p.getIp(), p.getControlPort(), p.getShellPort(), p.getStdinPort(),
                p.getHbPort(), p.getIopubPort(), p.getTransport(), p.getSignatureScheme(), p.getKey()) {
            @Override
            public HMACGenerator createHMACGenerator() throws InvalidKeyException, NoSuchAlgorithmException {
                if (getKey() == null || getKey().isEmpty()) {
                    return super.createHMACGenerator();
                }
                return new ReplayGuard(getSignatureScheme(), getKey());
            }
        };
    }
}
