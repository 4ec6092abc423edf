package org.moelab.kernel.notebook;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An {@code .ipynb} file (nbformat 4) as JSON, with just the accessors the runner and the tests need. */
public final class NotebookFile {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path path;
    private final JsonObject json;

    private NotebookFile(Path path, JsonObject json) {
        this.path = path;
        this.json = json;
    }

    public static NotebookFile read(Path path) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8)).getAsJsonObject();
        return new NotebookFile(path, json);
    }

    public Path path() {
        return path;
    }

    public String name() {
        return path.getFileName().toString();
    }

    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        JsonArray array = json.getAsJsonArray("cells");
        for (int i = 0; i < array.size(); i++) {
            cells.add(new Cell(i + 1, array.get(i).getAsJsonObject()));
        }
        return cells;
    }

    public List<Cell> codeCells() {
        return cells().stream().filter(Cell::isCode).toList();
    }

    /** The kernelspec name recorded in the notebook's metadata, or null. */
    public String kernelName() {
        JsonObject metadata = json.getAsJsonObject("metadata");
        if (metadata == null || !metadata.has("kernelspec")) {
            return null;
        }
        return metadata.getAsJsonObject("kernelspec").get("name").getAsString();
    }

    public void write(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, PRETTY.toJson(json) + "\n", StandardCharsets.UTF_8);
    }

    /** One cell; {@link #number()} counts all cells from 1, as a reader counts them in the notebook. */
    public static final class Cell {
        private final int number;
        private final JsonObject json;

        Cell(int number, JsonObject json) {
            this.number = number;
            this.json = json;
        }

        public int number() {
            return number;
        }

        public boolean isCode() {
            return "code".equals(json.get("cell_type").getAsString());
        }

        public String source() {
            JsonElement source = json.get("source");
            if (source == null) {
                return "";
            }
            if (source.isJsonArray()) {
                StringBuilder text = new StringBuilder();
                source.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
                return text.toString();
            }
            return source.getAsString();
        }

        /** Outputs stored in the file (a stripped notebook has none). */
        public JsonArray outputs() {
            JsonArray outputs = json.getAsJsonArray("outputs");
            return outputs == null ? new JsonArray() : outputs;
        }

        public JsonElement executionCount() {
            return json.get("execution_count");
        }

        void setOutputs(JsonArray outputs, int executionCount) {
            json.add("outputs", outputs);
            json.addProperty("execution_count", executionCount);
        }
    }
}
