package org.moelab.kernel.notebook;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.moelab.kernel.display.DisplayListener;

/** Records one cell's outputs in nbformat 4 shape, as Jupyter would have stored them. */
final class CellOutputs implements DisplayListener {
    private static final Gson GSON = new Gson();

    private final JsonArray outputs = new JsonArray();
    /** Outputs by display id, for updateDisplay (nbformat has no place for the id itself). */
    private final Map<String, JsonObject> byDisplayId = new HashMap<>();

    void stream(String name, String text) {
        if (text.isEmpty()) {
            return;
        }
        JsonObject output = new JsonObject();
        output.addProperty("output_type", "stream");
        output.addProperty("name", name);
        output.addProperty("text", text);
        outputs.add(output);
    }

    void result(DisplayData data, int executionCount) {
        JsonObject output = bundle("execute_result", data);
        output.addProperty("execution_count", executionCount);
        outputs.add(output);
    }

    void error(String name, String message, List<String> traceback) {
        JsonObject output = new JsonObject();
        output.addProperty("output_type", "error");
        output.addProperty("ename", name);
        output.addProperty("evalue", message);
        output.add("traceback", GSON.toJsonTree(traceback));
        outputs.add(output);
    }

    @Override
    public void displayed(DisplayData data) {
        JsonObject output = bundle("display_data", data);
        if (data.hasDisplayId()) {
            byDisplayId.put(data.getDisplayId(), output);
        }
        outputs.add(output);
    }

    @Override
    public void updated(String displayId, DisplayData data) {
        // Jupyter replaces the earlier output in place; a saved notebook keeps only the latest state.
        JsonObject output = byDisplayId.get(displayId);
        if (output != null) {
            output.add("data", GSON.toJsonTree(data).getAsJsonObject().get("data"));
        }
    }

    JsonArray toJson() {
        return outputs;
    }

    private static JsonObject bundle(String type, DisplayData data) {
        JsonObject serialized = GSON.toJsonTree(data).getAsJsonObject();
        JsonObject output = new JsonObject();
        output.addProperty("output_type", type);
        output.add("data", serialized.get("data"));
        JsonElement metadata = serialized.get("metadata");
        output.add("metadata", metadata == null ? new JsonObject() : metadata);
        return output;
    }
}
