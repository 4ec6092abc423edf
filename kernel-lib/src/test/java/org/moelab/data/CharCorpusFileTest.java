package org.moelab.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharCorpusFileTest {
    private static final String TEXT = "It is a truth universally acknowledged, that a single man in possession\n"
            + "of a good fortune, must be in want of a wife.\n";

    @Test
    void fromFileReadsTextAndNamesTheCorpusAfterTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("opening.txt");
        Files.writeString(file, TEXT);
        CharCorpus corpus = CharCorpus.fromFile(file);
        assertEquals("opening", corpus.name());
        assertEquals(TEXT.length(), corpus.length());
        assertEquals(TEXT, corpus.text(0, corpus.length()));
    }

    @Test
    void encodeDecodeRoundTrip() {
        CharCorpus corpus = CharCorpus.fromText("t", TEXT);
        String s = "a good man, in want of a wife.\n";
        int[] ids = corpus.encode(s);
        assertEquals(s, corpus.decode(ids));
        for (int id : ids) assertTrue(id >= 0 && id < corpus.vocabSize());
        // Ids come from the sorted distinct characters, so they do not depend on where a character first appears.
        assertEquals(0, corpus.encode("\n")[0]);
    }

    @Test
    void encodingAnUnknownCharacterNamesIt() {
        CharCorpus corpus = CharCorpus.fromText("t", TEXT);
        var e = assertThrows(IllegalArgumentException.class, () -> corpus.encode("wife!"));
        assertTrue(e.getMessage().contains("'!'") && e.getMessage().contains("index 4"), e.getMessage());
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("absent.txt");
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromFile(missing));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void directoryOrNonUtf8FileIsRejectedWithThePath(@TempDir Path dir) throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromFile(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        Path binary = dir.resolve("binary.txt");
        Files.write(binary, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x41});
        var io = assertThrows(UncheckedIOException.class, () -> CharCorpus.fromFile(binary));
        assertTrue(io.getMessage().contains(binary.toString()) && io.getMessage().contains("UTF-8"), io.getMessage());
    }

    @Test
    void tooShortTextIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromText("tiny", "abc"));
        assertTrue(e.getMessage().contains("3 chars"), e.getMessage());
    }

    @Test
    void bitsPerCharDividesByLn2() {
        assertEquals(1.0, CharCorpus.bitsPerChar(Math.log(2)), 1e-12);
        assertEquals(Math.log(27) / Math.log(2), CharCorpus.bitsPerChar(Math.log(27)), 1e-12);
    }
}
