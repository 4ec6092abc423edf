package org.moelab.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import org.moelab.tensor.Rng;

/**
 * Saves one LoRA expert to its own file and loads it back bit-exactly: LoRA-Mixer's "plug in LoRAs trained elsewhere".
 *
 * <p>Format (big-endian): magic {@code "MLLORA01"} (8 bytes), in, out, rank (int32), alpha (float32), A [rank·in]
 * then B [out·rank] as raw float32 bits, then a CRC32 (int64) of every preceding byte. A load reads and checks the
 * whole file (magic, sizes, length, checksum, expected shapes) before touching any tensor, so a failed load changes
 * nothing; every error names the path.
 */
public final class LoRAExpertFiles {
    private static final byte[] MAGIC = {'M', 'L', 'L', 'O', 'R', 'A', '0', '1'};

    private LoRAExpertFiles() {}

    /** Writes {@code expert} to {@code path} (via a temporary file, so a crash never leaves half a file). */
    public static void save(LoRAExpert expert, Path path) {
        Require.notNull("LoRAExpertFiles.save", "expert", expert);
        Require.notNull("LoRAExpertFiles.save", "path", path);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(expert.inFeatures());
            out.writeInt(expert.outFeatures());
            out.writeInt(expert.rank());
            out.writeFloat(expert.alpha());
            for (float v : expert.a().data()) out.writeInt(Float.floatToRawIntBits(v));
            for (float v : expert.b().data()) out.writeInt(Float.floatToRawIntBits(v));
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("LoRAExpertFiles: cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** A new expert with the file's sizes and values. */
    public static LoRAExpert load(Path path) {
        Contents c = read(path);
        LoRAExpert expert = new LoRAExpert(c.in, c.out, c.rank, c.alpha, new Rng(0));
        System.arraycopy(c.a, 0, expert.a().data(), 0, c.a.length);
        System.arraycopy(c.b, 0, expert.b().data(), 0, c.b.length);
        return expert;
    }

    /** Copies the file's A and B into {@code target}, whose in, out, rank and alpha must equal the file's. */
    public static void loadInto(LoRAExpert target, Path path) {
        Require.notNull("LoRAExpertFiles.loadInto", "target", target);
        Contents c = read(path);
        if (c.in != target.inFeatures() || c.out != target.outFeatures() || c.rank != target.rank()) {
            throw new IllegalArgumentException("LoRAExpertFiles: " + path + " holds A [" + c.rank + ", " + c.in + "], B [" + c.out + ", " + c.rank
                    + "] but the target expert has A [" + target.rank() + ", " + target.inFeatures() + "], B [" + target.outFeatures() + ", " + target.rank() + "]");
        }
        if (Float.floatToRawIntBits(c.alpha) != Float.floatToRawIntBits(target.alpha())) {
            throw new IllegalArgumentException("LoRAExpertFiles: " + path + " has alpha " + c.alpha + " but the target expert has alpha " + target.alpha());
        }
        System.arraycopy(c.a, 0, target.a().data(), 0, c.a.length);
        System.arraycopy(c.b, 0, target.b().data(), 0, c.b.length);
    }

    private record Contents(int in, int out, int rank, float alpha, float[] a, float[] b) {}

    private static Contents read(Path path) {
        Require.notNull("LoRAExpertFiles", "path", path);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("LoRAExpertFiles: cannot read " + path + ": " + e.getMessage(), e);
        }
        int header = MAGIC.length + 4 * 4;
        if (bytes.length < header + 8) throw bad(path, "it is truncated (" + bytes.length + " bytes, shorter than the header)");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw bad(path, "it does not start with the magic MLLORA01 (not a LoRA expert file)");
            int inF = in.readInt(), outF = in.readInt(), rank = in.readInt();
            float alpha = in.readFloat();
            if (inF < 1 || outF < 1 || rank < 1 || rank > Math.min(inF, outF) || !(alpha > 0) || !Float.isFinite(alpha)) {
                throw bad(path, "its header is invalid (in=" + inF + ", out=" + outF + ", rank=" + rank + ", alpha=" + alpha + ")");
            }
            long expected = header + 4L * rank * ((long) inF + outF) + 8;
            if (bytes.length != expected) {
                throw bad(path, "it has " + bytes.length + " bytes but A [" + rank + ", " + inF + "] and B [" + outF + ", " + rank + "] need " + expected
                        + (bytes.length < expected ? " (truncated)" : " (trailing data)"));
            }
            float[] a = new float[rank * inF], b = new float[outF * rank];
            for (int i = 0; i < a.length; i++) a[i] = Float.intBitsToFloat(in.readInt());
            for (int i = 0; i < b.length; i++) b[i] = Float.intBitsToFloat(in.readInt());
            long stored = in.readLong();
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            if (crc.getValue() != stored) throw bad(path, "its checksum does not match (the file is corrupt)");
            return new Contents(inF, outF, rank, alpha, a, b);
        } catch (EOFException e) {
            throw bad(path, "it is truncated");
        } catch (IOException e) {
            throw new UncheckedIOException("LoRAExpertFiles: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException bad(Path path, String why) {
        return new IllegalArgumentException("LoRAExpertFiles: cannot load " + path + ": " + why);
    }
}
