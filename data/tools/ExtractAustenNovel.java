import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Prepares data/tinytext.txt from Debian's r-cran-janeaustenr package. Run with the JDK alone (no build, no R):
 * {@code java data/tools/ExtractAustenNovel.java <Rdata.rdb> "PRIDE AND PREJUDICE" data/tinytext.txt}.
 *
 * <p>The package stores each novel as an R character vector (one element per printed line) in R's lazy-load
 * database: a sequence of records, each a 4-byte length followed by a zlib stream holding an XDR serialisation.
 * We only need that one shape (a bare STRSXP of CHARSXPs), so this reads it directly rather than requiring R.
 *
 * <p>Normalisation keeps the text readable and the vocabulary small and stable: printable ASCII plus newline;
 * tabs become spaces; any other character is mapped to an ASCII stand-in or dropped; trailing spaces are trimmed;
 * runs of blank lines collapse to one blank line; the file ends with exactly one newline.
 */
public class ExtractAustenNovel {
    public static void main(String[] args) throws IOException, DataFormatException {
        if (args.length != 3) {
            System.err.println("usage: java ExtractAustenNovel.java <Rdata.rdb> <first line of the novel> <out.txt>");
            System.exit(2);
        }
        byte[] db = Files.readAllBytes(Path.of(args[0]));
        for (List<String> lines : characterVectors(db)) {
            if (!lines.isEmpty() && lines.get(0).equals(args[1])) {
                String text = normalise(String.join("\n", lines));
                Files.writeString(Path.of(args[2]), text, StandardCharsets.US_ASCII);
                System.out.println("wrote " + args[2] + " (" + text.length() + " chars)");
                return;
            }
        }
        System.err.println("no character vector starting with \"" + args[1] + "\" in " + args[0]);
        System.exit(1);
    }

    static List<List<String>> characterVectors(byte[] db) throws DataFormatException {
        List<List<String>> vectors = new ArrayList<>();
        int offset = 0;
        while (offset + 4 < db.length) {
            Inflater inflater = new Inflater();
            inflater.setInput(db, offset + 4, db.length - offset - 4);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[1 << 16];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && inflater.needsInput()) throw new DataFormatException("truncated record at " + offset);
                out.write(chunk, 0, n);
            }
            offset = db.length - inflater.getRemaining();
            inflater.end();
            List<String> lines = readStringVector(ByteBuffer.wrap(out.toByteArray()));
            if (lines != null) vectors.add(lines);
        }
        return vectors;
    }

    /** Reads an XDR-serialised (format 3) R character vector; null when the record holds anything else. */
    static List<String> readStringVector(ByteBuffer in) {
        if (in.get() != 'X' || in.get() != '\n') return null;
        int version = in.getInt();
        in.getInt(); // R version that wrote it
        in.getInt(); // minimum R version to read it
        if (version == 3) {
            int encodingNameLength = in.getInt(); // then the native encoding's name, which we skip
            in.position(in.position() + encodingNameLength);
        }
        int header = in.getInt();
        if ((header & 0xFF) != 16) return null; // 16 = STRSXP
        int count = in.getInt();
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            in.getInt(); // CHARSXP flags (encoding bits; the bytes are UTF-8 or ASCII either way)
            int length = in.getInt();
            if (length < 0) { lines.add(""); continue; } // NA_character_
            byte[] bytes = new byte[length];
            in.get(bytes);
            lines.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return lines;
    }

    static String normalise(String raw) {
        StringBuilder ascii = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') continue;
            if (c == '\t') c = ' ';
            if (c == '\n' || (c >= 32 && c < 127)) ascii.append(c);
            else ascii.append(asciiStandIn(c));
        }
        StringBuilder out = new StringBuilder(ascii.length());
        int blankRun = 0;
        for (String line : ascii.toString().split("\n", -1)) {
            String trimmed = line.stripTrailing();
            blankRun = trimmed.isEmpty() ? blankRun + 1 : 0;
            if (blankRun <= 1) out.append(trimmed).append('\n');
        }
        String text = out.toString().strip();
        return text + "\n";
    }

    static String asciiStandIn(char c) {
        switch (c) {
            case '\u00a3': return "L"; // pound sign, as period printers wrote it ("L10")
            case '\u2018': case '\u2019': return "'";
            case '\u201c': case '\u201d': return "\"";
            case '\u2014': return "--";
            case '\u2013': return "-";
            case '\u00e9': return "e";
            case '\u00e8': return "e";
            case '\u00ea': return "e";
            case '\u00e0': return "a";
            case '\u00e7': return "c";
            case '\u00a0': return " ";
            default: return "";
        }
    }
}
