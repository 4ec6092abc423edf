package org.moelab.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedTextTest {
    private static Path dataDir() {
        return ShippedFiles.repositoryDataDirectory().orElseThrow(() -> new AssertionError("no data/ above " + Path.of("").toAbsolutePath()));
    }

    @Test
    void shippedFileMatchesTheSha256InDataReadme() throws Exception {
        String readme = Files.readString(dataDir().resolve("README.md"));
        Matcher m = Pattern.compile("SHA-256 \\| `([0-9a-f]{64})`").matcher(readme);
        assertTrue(m.find(), "data/README.md states a SHA-256");
        byte[] bytes = Files.readAllBytes(dataDir().resolve("tinytext.txt"));
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(m.group(1), actual, "data/tinytext.txt changed: rerun data/prepare-corpus.sh and update README");
    }

    @Test
    void shippedTextUsesOnlyPrintableAsciiAndNewline() {
        CharCorpus corpus = CharCorpus.shipped("tinytext");
        for (char c : corpus.vocabulary().symbols().toCharArray()) {
            assertTrue(c == '\n' || (c >= 32 && c < 127), "unexpected character U+" + Integer.toHexString(c));
        }
        assertEquals(684_584, corpus.length());
        assertTrue(corpus.text(0, 19).equals("PRIDE AND PREJUDICE"));
    }

    @Test
    void classpathCopyEqualsTheRepositoryFile() throws Exception {
        // The classpath copy is what a notebook gets from any working directory; it must be the committed file.
        String fromRepo = Files.readString(dataDir().resolve("tinytext.txt"));
        CharCorpus corpus = CharCorpus.shipped("tinytext");
        assertEquals(fromRepo, corpus.text(0, corpus.length()));
        assertNotNull(getClass().getClassLoader().getResource(ShippedFiles.RESOURCE_DIR + "tinytext.txt"));
    }

    @Test
    void shippedNamesListsTinytext() {
        assertTrue(CharCorpus.shippedNames().contains("tinytext"), CharCorpus.shippedNames().toString());
    }

    @Test
    void unknownShippedNameSaysWhatIsAvailable() {
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.shipped("no-such-text"));
        assertTrue(e.getMessage().contains("no-such-text"), e.getMessage());
        assertTrue(e.getMessage().contains("tinytext"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> CharCorpus.shipped("../pom.xml"));
        assertTrue(bad.getMessage().contains("plain file name"), bad.getMessage());
    }

    @Test
    void dataDirPropertyOverridesAndNamesThePathWhenMissing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.txt"), "the quick brown fox jumps over the lazy dog, again and again.\n");
        String previous = System.getProperty(ShippedFiles.DIR_PROPERTY);
        System.setProperty(ShippedFiles.DIR_PROPERTY, dir.toString());
        try {
            assertEquals(62, CharCorpus.shipped("mine").length());
            var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.shipped("tinytext"));
            assertTrue(e.getMessage().contains(dir.resolve("tinytext.txt").toString()), e.getMessage());
            assertTrue(e.getMessage().contains("[mine]"), e.getMessage());
        } finally {
            if (previous == null) System.clearProperty(ShippedFiles.DIR_PROPERTY);
            else System.setProperty(ShippedFiles.DIR_PROPERTY, previous);
        }
    }
}
