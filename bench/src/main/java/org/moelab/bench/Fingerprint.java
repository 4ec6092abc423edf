package org.moelab.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.moelab.tensor.Tensor;

/**
 * The bits a benchmark step produces: runs N training steps of a {@link KernelBreakdown} setup and prints the
 * SHA-256 of every parameter's values (in {@code parameters()} order) after them. An engine change that keeps
 * every bit prints the same hash before and after, on any thread count ({@code -Dmoelab.threads}).
 *
 * <pre>java ... org.moelab.bench.Fingerprint evomoe-tau2|evomoe-top1|promoe|smoe|loramixer-stage2|... [steps]</pre>
 */
public final class Fingerprint {
    private Fingerprint() {}

    public static void main(String[] args) throws NoSuchAlgorithmException {
        String name = args[0];
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        KernelBreakdown.StepSetup setup = KernelBreakdown.setup(name);
        for (int i = 0; i < steps; i++) setup.step().run();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Tensor p : setup.parameters()) {
            float[] d = p.data();
            ByteBuffer bb = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(d);
            sha.update(bb.array());
        }
        System.out.println(name + " " + steps + " steps: " + HexFormat.of().formatHex(sha.digest()));
    }
}
