package org.moelab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a UTF-8 text file with errors that name the path. */
final class TextFiles {
    private TextFiles() {}

    static String read(Path path) {
        Path absolute = path.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(absolute + " is a directory, not a text file");
        }
        if (!Files.exists(absolute)) throw new IllegalArgumentException("no such file: " + absolute);
        try {
            return Files.readString(absolute);
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(absolute + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + absolute + ": " + e.getMessage(), e);
        }
    }
}
