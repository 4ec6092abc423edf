package org.moelab.kernel.notebook;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An {@code .ipynb} file (nbformat 4) as JSON, with just the accessors the runner and the tests need. */
public final class NotebookFile {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

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

    /** Writes the notebook as Jupyter does (one-space indent), so a stripped notebook diffs cleanly. */
    public void write(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        StringWriter text = new StringWriter();
        JsonWriter writer = GSON.newJsonWriter(text);
        writer.setIndent(" ");
        GSON.toJson(json, writer);
        writer.flush();
        Files.writeString(target, text + "\n", StandardCharsets.UTF_8);
    }

    /** Removes outputs and execution counts from every code cell. */
    public NotebookFile stripped() {
        codeCells().forEach(cell -> cell.setOutputs(new JsonArray(), null));
        return this;
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

        void setOutputs(JsonArray outputs, Integer executionCount) {
            json.add("outputs", outputs);
            json.add("execution_count", executionCount == null ? JsonNull.INSTANCE : new JsonPrimitive(executionCount));
        }
    }
}
