package org.moelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code %moe inspect} for every model that keeps its trained weights: counts of layers, experts and tokens drawn. */
class RoutingInspectorTest {
    private static MoeRun tiny(String model, String extra) {
        return MoeCell.run("model: " + model + "\n" + MoeCellTest.TINY.get(model) + "\n" + extra);
    }

    private static int count(String html, String needle) {
        int n = 0;
        for (int i = html.indexOf(needle); i >= 0; i = html.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void languageModelsColourEveryCharacterOfTheInputByItsTopExpert() {
        MoeRun lm = tiny("lm", "layers: 2");
        String html = RoutingInspector.inspect(lm, null, null).toHtml();
        assertEquals(2, count(html, "class=\"layer\""), "one summary row per MoE layer");
        assertEquals(16, count(html, "class=\"tok\""), "one span per character of a context window");
        assertTrue(html.contains("<td>4</td>") && html.contains("class=\"heatmap\""), "4 experts, a heat map");
        String given = RoutingInspector.inspect(lm, 0, "the cat").toHtml();
        assertEquals(7, count(given, "class=\"tok\""));
        assertTrue(given.contains("MoE layer 0: each token"), "the chosen layer is drawn");

        MoeRun smoe = tiny("smoe-dropout", "");
        assertEquals(2, count(RoutingInspector.inspect(smoe, null, null).toHtml(), "class=\"layer\""));
    }

    @Test
    void evoMoeShowsFourSourcesRowsAndMomMarksKeysAndQueries() {
        String evo = RoutingInspector.inspect(tiny("evomoe", "router: switch"), null, null).toHtml();
        assertEquals(1, count(evo, "class=\"layer\""), "EvoMoE routes in its last block only");
        assertEquals(3, count(evo, "<br/>"), "four sequences, one row each");
        String given = RoutingInspector.inspect(tiny("evomoe", ""), null, "32 1 2 3").toHtml();
        assertEquals(4, count(given, "class=\"tok\""));

        String mom = RoutingInspector.inspect(tiny("mom", ""), null, null).toHtml();
        assertEquals(2, count(mom, "class=\"layer\""), "a MoM layer in each of the two blocks");
        assertEquals(32, count(mom, "class=\"tok\""), "T = 32 tokens");
        assertTrue(mom.contains("text-decoration:underline") && mom.contains("outline:2px solid #000") && mom.contains("memory 0"), "keys, queries, memories");
    }

    @Test
    void proMoeDrawsEachImageBesideItsPatchMap() {
        MoeRun run = tiny("promoe", "");
        RoutingInspector.Inspection inspection = RoutingInspector.inspect(run, null, null);
        String html = inspection.toHtml();
        assertEquals(10, inspection.images().length, "one image per class");
        int patches = inspection.patchesPerSide() * inspection.patchesPerSide();
        assertEquals(10 * patches, count(html, "class=\"patch\""));
        assertEquals(inspection.layers().size(), count(html, "class=\"layer\""));
    }

    @Test
    void loraMixerShowsTheTaskByExpertMassOfItsRoutedArm() {
        RoutingInspector.Inspection inspection = RoutingInspector.inspect(tiny("lora-mixer", ""), null, null);
        String html = inspection.toHtml();
        assertEquals(List.of("REV", "SORT", "INC", "CIPHER"), inspection.tokens(), "one row per task");
        assertEquals(4, count(html, "class=\"tok\""));
        assertTrue(html.contains("routing accuracy per layer") && html.contains("class=\"heatmap\""), "accuracy per layer, the mass matrix");
    }

    @Test
    void whatCannotBeInspectedSaysWhyBeforeRouting() {
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> RoutingInspector.inspect(tiny("promoe", "router: dense"), null, null));
        assertTrue(dense.getMessage().contains("no routed layer"), dense.getMessage());
        MoeRun lm = tiny("lm", "");
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class, () -> RoutingInspector.inspect(lm, 3, null));
        assertTrue(layer.getMessage().contains("--layer 3 must be in [0, 0]"), layer.getMessage());
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class, () -> RoutingInspector.inspect(lm, null, "€"));
        assertTrue(input.getMessage().contains("not in the model's vocabulary"), input.getMessage());
        IllegalArgumentException unrouted = assertThrows(IllegalArgumentException.class, () -> RoutingInspector.inspect(tiny("lora-mixer", "arm: MULTI_TASK_LORA"), null, null));
        assertTrue(unrouted.getMessage().contains("no routed layer"), unrouted.getMessage());
    }
}
