package org.moelab.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.moelab.lab.AtomicFiles;
import org.moelab.nn.Module;
import org.moelab.tensor.Rng;

/**
 * A training checkpoint: parameters, optimizer state, step, configuration and RNG state, in one binary file
 * ending with a CRC-32 of everything before it.
 *
 * <p>Saving writes a temporary file and moves it into place, so a crash mid-save never destroys the previous
 * checkpoint. Loading reads and verifies the whole file first, and {@link #restoreInto} applies it all-or-nothing:
 * a truncated, corrupted or mismatched checkpoint fails with a message naming the path and the problem, and the
 * model and optimizer keep every value they had.
 */
public record Checkpoint(long step, Map<String, String> config, Rng.State rngState,
                         Map<String, float[]> parameters, Map<String, float[]> optimizerState) {
    private static final long MAGIC = 0x4D6F454C61624350L; // "MoELabCP"
    private static final int VERSION = 1;

    public static Checkpoint of(long step, Map<String, String> config, Rng rng, Module module, Optimizer optimizer) {
        return new Checkpoint(step, new LinkedHashMap<>(config), rng == null ? null : rng.state(), module.stateDict(),
                optimizer == null ? new LinkedHashMap<>() : optimizer.state());
    }

    public void save(Path path) {
        Path target = path.toAbsolutePath();
        try {
            AtomicFiles.write(target, encode());
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint: cannot write " + target + ": " + e, e);
        }
    }

    public static Checkpoint load(Path path) {
        Path p = path.toAbsolutePath();
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("Checkpoint: no checkpoint file at " + p);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint: cannot read " + p + ": " + e, e);
        }
        return decode(bytes, p.toString());
    }

    /**
     * A checkpoint from its bytes, e.g. weights shipped in {@code data/} ({@code ShippedFiles.bytes}); {@code source}
     * names where they came from in every error.
     */
    public static Checkpoint decode(byte[] bytes, String source) {
        String p = source;
        if (bytes.length < 16) throw new IllegalArgumentException("Checkpoint: " + p + " is truncated (" + bytes.length + " bytes)");
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IllegalArgumentException("Checkpoint: " + p + " is truncated or corrupted (checksum mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
            if (in.readLong() != MAGIC) throw new IllegalArgumentException("Checkpoint: " + p + " is not a MoE Lab checkpoint");
            int version = in.readInt();
            if (version != VERSION) throw new IllegalArgumentException("Checkpoint: " + p + " has format version " + version + ", this build reads " + VERSION);
            long step = in.readLong();
            Map<String, String> config = new LinkedHashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) config.put(in.readUTF(), in.readUTF());
            Rng.State rng = in.readBoolean() ? new Rng.State(in.readLong(), in.readLong(), in.readBoolean(), in.readDouble()) : null;
            return new Checkpoint(step, config, rng, readArrays(in, p), readArrays(in, p));
        } catch (EOFException e) {
            throw new IllegalArgumentException("Checkpoint: " + p + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint: cannot decode " + p + ": " + e, e);
        }
    }

    /**
     * Loads parameters and optimizer state into {@code module} and {@code optimizer} (which may be null), or
     * changes nothing and throws if anything does not fit.
     */
    public void restoreInto(Module module, Optimizer optimizer) {
        LinkedHashMap<String, float[]> moduleBefore = module.stateDict();
        LinkedHashMap<String, float[]> optimizerBefore = optimizer == null ? null : optimizer.state();
        try {
            module.loadStateDict(parameters);
            if (optimizer != null) optimizer.loadState(optimizerState);
        } catch (RuntimeException e) {
            module.loadStateDict(moduleBefore);
            if (optimizer != null) optimizer.loadState(optimizerBefore);
            throw e;
        }
    }

    private byte[] encode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(step);
        out.writeInt(config.size());
        for (var e : config.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeBoolean(rngState != null);
        if (rngState != null) {
            out.writeLong(rngState.seed());
            out.writeLong(rngState.position());
            out.writeBoolean(rngState.hasSpare());
            out.writeDouble(rngState.spare());
        }
        writeArrays(out, parameters);
        writeArrays(out, optimizerState);
        out.flush();
        CRC32 crc = new CRC32();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (var e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            float[] v = e.getValue();
            out.writeInt(v.length);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.length * 4);
            buf.asFloatBuffer().put(v);
            out.write(buf.array());
        }
    }

    private static Map<String, float[]> readArrays(DataInputStream in, String source) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new IllegalArgumentException("Checkpoint: " + source + " is corrupted (negative array count " + n + ")");
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int len = in.readInt();
            if (len < 0) throw new IllegalArgumentException("Checkpoint: " + source + " is corrupted (negative length " + len + " for '" + name + "')");
            // The length is checked against what is left before anything is allocated: a crafted header claiming
            // 2^29 floats must fail here, not overflow len * 4 or exhaust the heap.
            long remaining = in.available();
            if ((long) len * 4 > remaining) {
                throw new IllegalArgumentException("Checkpoint: " + source + " is corrupted: '" + name + "' claims " + len
                        + " floats (" + (long) len * 4 + " bytes) but only " + remaining + " bytes remain");
            }
            byte[] raw = new byte[len * 4];
            in.readFully(raw);
            float[] v = new float[len];
            java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(v);
            arrays.put(name, v);
        }
        return arrays;
    }
}
