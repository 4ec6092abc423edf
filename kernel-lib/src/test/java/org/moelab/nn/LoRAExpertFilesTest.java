package org.moelab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moelab.tensor.Rng;

/** A saved LoRA expert reloads bit-exactly; wrong shapes, truncation and corruption fail clearly and change nothing. */
class LoRAExpertFilesTest {
    @TempDir
    Path dir;

    static LoRAExpert trainedLooking(int in, int out, int rank, Rng rng) {
        LoRAExpert e = new LoRAExpert(in, out, rank, 8f, rng);
        LoRATest.randomiseB(e, rng);
        e.a().data()[0] = Float.MIN_VALUE;   // a subnormal survives the round trip
        e.b().data()[1] = -0f;
        return e;
    }

    @Test
    void savedExpertReloadsBitExactly() {
        LoRAExpert e = trainedLooking(6, 5, 3, new Rng(1));
        Path file = dir.resolve("experts/rev.lora");
        LoRAExpertFiles.save(e, file);
        LoRAExpert back = LoRAExpertFiles.load(file);
        assertEquals(e.toString(), back.toString());
        assertArrayEquals(bits(e.a().data()), bits(back.a().data()));
        assertArrayEquals(bits(e.b().data()), bits(back.b().data()));
        LoRAExpert target = new LoRAExpert(6, 5, 3, 8f, new Rng(2));
        LoRAExpertFiles.loadInto(target, file);
        assertArrayEquals(bits(e.a().data()), bits(target.a().data()));
        assertArrayEquals(bits(e.b().data()), bits(target.b().data()));
    }

    @Test
    void wrongShapeFailsNamingPathAndShapesAndChangesNothing() {
        Path file = dir.resolve("sort.lora");
        LoRAExpertFiles.save(trainedLooking(6, 5, 3, new Rng(3)), file);
        LoRAExpert target = new LoRAExpert(6, 5, 2, 8f, new Rng(4));
        float[] a = target.a().toFloatArray(), b = target.b().toFloatArray();
        var e = assertThrows(IllegalArgumentException.class, () -> LoRAExpertFiles.loadInto(target, file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("A [3, 6], B [5, 3]") && e.getMessage().contains("A [2, 6], B [5, 2]"), e.getMessage());
        assertArrayEquals(a, target.a().toFloatArray(), 0f);
        assertArrayEquals(b, target.b().toFloatArray(), 0f);
        LoRAExpert otherAlpha = new LoRAExpert(6, 5, 3, 4f, new Rng(5));
        var alpha = assertThrows(IllegalArgumentException.class, () -> LoRAExpertFiles.loadInto(otherAlpha, file));
        assertTrue(alpha.getMessage().contains("alpha 8.0"), alpha.getMessage());
    }

    @Test
    void truncatedCorruptOrForeignFilesFailClearlyAndChangeNothing() throws IOException {
        Path file = dir.resolve("inc.lora");
        LoRAExpertFiles.save(trainedLooking(6, 5, 3, new Rng(6)), file);
        byte[] good = Files.readAllBytes(file);
        LoRAExpert target = new LoRAExpert(6, 5, 3, 8f, new Rng(7));
        float[] a = target.a().toFloatArray();

        Files.write(file, Arrays.copyOf(good, good.length - 10));
        var truncated = assertThrows(IllegalArgumentException.class, () -> LoRAExpertFiles.loadInto(target, file));
        assertTrue(truncated.getMessage().contains(file.toString()) && truncated.getMessage().contains("truncated"), truncated.getMessage());

        Files.write(file, Arrays.copyOf(good, 12));
        var header = assertThrows(IllegalArgumentException.class, () -> LoRAExpertFiles.load(file));
        assertTrue(header.getMessage().contains("truncated"), header.getMessage());

        byte[] flipped = good.clone();
        flipped[40] ^= 1;
        Files.write(file, flipped);
        var corrupt = assertThrows(IllegalArgumentException.class, () -> LoRAExpertFiles.loadInto(target, file));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());

        Files.writeString(file, "this is not a LoRA expert file at all, just text");
        var foreign = assertThrows(IllegalArgumentException.class, () -> LoRAExpertFiles.load(file));
        assertTrue(foreign.getMessage().contains("magic"), foreign.getMessage());

        assertArrayEquals(a, target.a().toFloatArray(), 0f);
        var missing = assertThrows(RuntimeException.class, () -> LoRAExpertFiles.load(dir.resolve("absent.lora")));
        assertTrue(missing.getMessage().contains("absent.lora"), missing.getMessage());
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }
}
