package org.moelab.experiments;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.moelab.data.CharCorpus;
import org.moelab.data.LabelledImages;
import org.moelab.data.MixLm4;
import org.moelab.data.Mqar;
import org.moelab.models.CausalTransformer;
import org.moelab.models.EvoMoE;
import org.moelab.models.MoM;
import org.moelab.models.ProMoE;
import org.moelab.models.SmoeDropout;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.viz.ChartExport;
import org.moelab.viz.ChartStyle;
import org.moelab.viz.HeatMaps;
import org.moelab.viz.HtmlRenderable;
import org.moelab.viz.ImageGrid;

/**
 * {@code %moe inspect}: where one input's tokens go in a trained {@link MoeRun}, per routed layer — the expert
 * load, the mean routing entropy, every token coloured by its top expert, and the token × expert probabilities of
 * one layer as a heat map. The input is the model's own kind of data:
 * <ul>
 *   <li>lm, smoe-dropout: a validation text window (or {@code --input "text"}), one coloured character per token;</li>
 *   <li>evomoe: four MixLM-4 validation sequences (one per source), one row each (or {@code --input "3 5 7 …"}, token ids);</li>
 *   <li>mom: an MQAR sequence at the largest tested P, keys underlined, queries boxed (memories, not experts);</li>
 *   <li>promoe: one noised real image per class beside its patch → expert map;</li>
 *   <li>lora-mixer: the routed arm's task × expert router mass on the test set (its models are scored, not kept).</li>
 * </ul>
 * The model is run in evaluation mode without gradients; its weights are untouched.
 */
public final class RoutingInspector {
    private RoutingInspector() {}

    /** One routed layer's view of the input. {@code probabilities} is tokens × experts, or null when the router has none. */
    public record LayerView(String name, int experts, int[] primary, double[] load, double entropyBits, double droppedShare, double[][] probabilities) {}

    /**
     * What {@link #inspect} found: the input's tokens as shown (one label per token), which are keys and queries
     * (MoM), the rows they are drawn in ({@code rowLength} tokens per row), the layers, and for images the pictures.
     */
    public record Inspection(String title, String unit, List<String> tokens, boolean[] keys, boolean[] queries, int rowLength,
                             List<LayerView> layers, int shownLayer, float[][] images, int patchesPerSide) implements HtmlRenderable {
        @Override
        public String toHtml() {
            StringBuilder h = new StringBuilder("<div class=\"moelab-inspect\"><h4>").append(HtmlRenderable.escape(title)).append("</h4>");
            h.append("<table><tr><th>layer</th><th>").append(unit).append("s</th><th>load (share of routed slots per ").append(unit)
                    .append(")</th><th>mean routing entropy (bits)</th><th>max (log₂ ").append(unit).append("s)</th><th>dropped</th></tr>");
            for (LayerView l : layers) {
                StringBuilder load = new StringBuilder();
                for (int e = 0; e < l.load().length; e++) {
                    load.append(swatch(e)).append(String.format(Locale.ROOT, "%d: %.2f ", e, l.load()[e]));
                }
                h.append("<tr class=\"layer\"><td>").append(HtmlRenderable.escape(l.name())).append("</td><td>").append(l.experts()).append("</td><td>").append(load)
                        .append("</td><td>").append(Double.isNaN(l.entropyBits()) ? "—" : String.format(Locale.ROOT, "%.3f", l.entropyBits()))
                        .append("</td><td>").append(String.format(Locale.ROOT, "%.3f", Math.log(l.experts()) / Math.log(2)))
                        .append("</td><td>").append(String.format(Locale.ROOT, "%.3f", l.droppedShare())).append("</td></tr>");
            }
            h.append("</table>");
            LayerView shown = layers.get(shownLayer);
            h.append("<p>").append(HtmlRenderable.escape(shown.name())).append(": each token coloured by its top ").append(unit)
                    .append(" (grey: dropped)").append(keysLegend()).append("</p>");
            if (images != null) h.append(imageMaps(shown));
            else h.append(tokenStrip(shown));
            if (shown.probabilities() != null) {
                // at most 32 rows: a row label stays legible (an image's first patches, a text's first characters)
                int rows = Math.min(tokens.size(), images != null ? Math.min(32, patchesPerSide * patchesPerSide) : 32);
                double[][] p = java.util.Arrays.copyOf(shown.probabilities(), rows);
                List<String> rowLabels = new ArrayList<>(), cols = new ArrayList<>();
                for (int t = 0; t < rows; t++) rowLabels.add(t + " " + tokens.get(t));
                for (int e = 0; e < shown.experts(); e++) cols.add((unit.equals("memory") ? "M" : "E") + e);
                var chart = HeatMaps.builder(shown.name() + ": routing probability per token and " + unit
                                + (rows < tokens.size() ? " (first " + rows + " tokens)" : ""), p)
                        .rowLabels(rowLabels).columnLabels(cols).valuePattern("0.00").range(0, 1)
                        .style(org.moelab.viz.ChartStyle.HOUSE.withSize(760, 200 + 16 * rows)).build();
                h.append("<img class=\"heatmap\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(ChartExport.toPng(chart))).append("\"/>");
            }
            return h.append("</div>").toString();
        }

        @Override
        public String toString() {
            return "Inspection[" + title + ": " + layers.size() + " routed layer(s), " + tokens.size() + " tokens]";
        }

        private String keysLegend() {
            return keys == null ? "" : "; keys <u>underlined</u>, queries <span style=\"outline:2px solid #000\">boxed</span>";
        }

        private String tokenStrip(LayerView layer) {
            StringBuilder h = new StringBuilder("<div class=\"tokens\" style=\"font-family:monospace;line-height:1.9\">");
            for (int t = 0; t < tokens.size(); t++) {
                if (rowLength > 0 && t > 0 && t % rowLength == 0) h.append("<br/>");
                int e = layer.primary()[t];
                Color c = e < 0 ? new Color(0xDDDDDD) : ChartStyle.color(e);
                String style = "background:" + hex(c) + ";color:" + (luminance(c) > 0.5 ? "#000" : "#fff") + ";padding:1px 2px;margin:0 1px"
                        + (keys != null && keys[t] ? ";text-decoration:underline" : "") + (queries != null && queries[t] ? ";outline:2px solid #000" : "");
                h.append("<span class=\"tok\" title=\"token ").append(t).append(" → ").append(e < 0 ? "dropped" : unit + " " + e)
                        .append("\" style=\"").append(style).append("\">").append(HtmlRenderable.escape(tokens.get(t))).append("</span>");
            }
            return h.append("</div>").toString();
        }

        private String imageMaps(LayerView layer) {
            StringBuilder h = new StringBuilder("<div class=\"images\" style=\"display:flex;flex-wrap:wrap;gap:12px\">");
            int perImage = patchesPerSide * patchesPerSide;
            for (int i = 0; i < images.length; i++) {
                var png = ImageGrid.builder(LabelledImages.SIZE, LabelledImages.SIZE).channels(1).valueRange(-1, 1).scale(4).images(1, images[i]).build();
                h.append("<div style=\"display:flex;gap:4px\"><img src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(ChartExport.toPng(png))).append("\"/><table class=\"patches\" style=\"border-collapse:collapse\">");
                for (int r = 0; r < patchesPerSide; r++) {
                    h.append("<tr>");
                    for (int c = 0; c < patchesPerSide; c++) {
                        int e = layer.primary()[i * perImage + r * patchesPerSide + c];
                        Color col = e < 0 ? new Color(0xDDDDDD) : ChartStyle.color(e);
                        h.append("<td class=\"patch\" title=\"").append(e < 0 ? "dropped" : unit + " " + e).append("\" style=\"width:10px;height:10px;padding:0;background:")
                                .append(hex(col)).append("\"></td>");
                    }
                    h.append("</tr>");
                }
                h.append("</table></div>");
            }
            return h.append("</div>").toString();
        }
    }

    /**
     * Inspects a trained run's routing.
     *
     * @param layer which routed layer the token view and heat map show (0-based; null: the last)
     * @param input the model's own input instead of the default sample (text; token ids for evomoe); null: the default
     */
    public static Inspection inspect(MoeRun run, Integer layer, String input) {
        Object model = run.trainedModel();
        String title = "%moe inspect: " + run.model() + " " + run.config().getOrDefault(MoeCell.ARM, run.config().getOrDefault("router", ""));
        Inspection raw;
        if (model instanceof CausalTransformer mom && run.model().equals("mom")) {
            noInput(run, input);
            raw = mqar(title, mom, run.config());
        } else if (model instanceof CausalTransformer lm) {
            CustomRun.Result r = (CustomRun.Result) run.results().get(run.results().size() - 1);
            raw = text(title, lm, r.corpus(), run.config(), input);
        } else if (model instanceof SmoeDropout s) {
            raw = text(title, s.languageModel(), CharCorpus.shipped(run.config().get("corpus")), run.config(), input);
        } else if (model instanceof EvoMoE evo) {
            raw = mixLm(title, evo.languageModel(), input);
        } else if (model instanceof ProMoE promoe) {
            noInput(run, input);
            raw = images(title, promoe, run.config());
        } else if (run.model().equals("lora-mixer")) {
            noInput(run, input);
            raw = taskByExpert(title, run);
        } else {
            throw new IllegalArgumentException("%moe inspect: a " + run.model() + " run keeps no trained model to route through.");
        }
        if (raw.layers().isEmpty()) {
            throw new IllegalArgumentException("%moe inspect: this " + run.model() + " run (" + title + ") has no routed layer: a dense, single-memory or unrouted arm routes nothing.");
        }
        int shown = layer == null ? raw.layers().size() - 1 : layer;
        if (shown < 0 || shown >= raw.layers().size()) {
            throw new IllegalArgumentException("%moe inspect: --layer " + layer + " must be in [0, " + (raw.layers().size() - 1) + "] (this model has "
                    + raw.layers().size() + " routed layer" + (raw.layers().size() == 1 ? "" : "s") + ")");
        }
        return new Inspection(raw.title(), raw.unit(), raw.tokens(), raw.keys(), raw.queries(), raw.rowLength(), raw.layers(), shown, raw.images(), raw.patchesPerSide());
    }

    private static void noInput(MoeRun run, String input) {
        if (input != null) throw new IllegalArgumentException("%moe inspect: --input is for the language models (lm, smoe-dropout: text; evomoe: token ids); a "
                + run.model() + " run is inspected on its own task's data.");
    }

    private static Inspection text(String title, CausalTransformer model, CharCorpus corpus, java.util.Map<String, String> config, String input) {
        int context = Integer.parseInt(config.get("context"));
        int[] tokens;
        if (input == null) {
            tokens = corpus.validationBatches(1, context).get(0).inputs();
        } else {
            if (input.isEmpty() || input.length() > context) {
                throw new IllegalArgumentException("%moe inspect: --input must have 1.." + context + " characters (the model's context), got " + input.length());
            }
            for (char ch : input.toCharArray()) {
                if (!corpus.vocabulary().contains(ch)) throw new IllegalArgumentException("%moe inspect: --input has '" + ch + "', which is not in the model's vocabulary");
            }
            tokens = corpus.encode(input);
        }
        RoutingContext pass = RoutingContext.evaluation();
        model.evaluate(() -> model.forward(tokens, 1, tokens.length, pass));
        List<String> shown = new ArrayList<>();
        for (int t : tokens) shown.add(corpus.decode(new int[] {t}).replace(' ', '·').replace("\n", "⏎"));
        return new Inspection(title, "expert", shown, null, null, 0, views(pass.recorder().of(model.moeLayers()), "MoE layer "), 0, null, 0);
    }

    private static Inspection mixLm(String title, CausalTransformer model, String input) {
        int[] tokens;
        int rows;
        if (input == null) {
            var batch = new MixLm4(EvoMoeExperiment.DATA_SEED).validation(4, 4).get(0);
            tokens = batch.inputs();
            rows = batch.rows();
        } else {
            String[] parts = input.trim().split("[\\s,]+");
            if (parts.length > MixLm4.LENGTH) throw new IllegalArgumentException("%moe inspect: --input takes at most " + MixLm4.LENGTH + " token ids, got " + parts.length);
            tokens = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    tokens[i] = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    tokens[i] = -1;
                }
                if (tokens[i] < 0 || tokens[i] >= MixLm4.VOCAB) {
                    throw new IllegalArgumentException("%moe inspect: --input is MixLM-4 token ids in [0, " + (MixLm4.VOCAB - 1) + "] separated by spaces, got '" + parts[i] + "'");
                }
            }
            rows = 1;
        }
        int time = tokens.length / rows;
        RoutingContext pass = RoutingContext.evaluation();
        model.evaluate(() -> model.forward(tokens, rows, time, pass));
        List<String> shown = new ArrayList<>();
        for (int t : tokens) shown.add(t == MixLm4.BOS ? "⟨s⟩" : Integer.toString(t));
        return new Inspection(title, "expert", shown, null, null, time, views(pass.recorder().of(model.moeLayers()), "MoE layer "), 0, null, 0);
    }

    private static Inspection mqar(String title, CausalTransformer model, java.util.Map<String, String> config) {
        Mqar task = new Mqar(Integer.parseInt(config.get("vocab")), Integer.parseInt(config.get("length")));
        int pairs = 0;
        for (String p : config.get("testPairs").split(",")) pairs = Math.max(pairs, Integer.parseInt(p.trim()));
        Mqar.Batch b = task.generate(1, pairs, new Rng(Long.parseLong(config.get(MoeCell.SEED))).fork("inspect"));
        RoutingContext pass = RoutingContext.evaluation();
        model.eval();
        try (var scope = GradMode.noGrad()) {
            model.hidden(b.inputs(), 1, b.length(), pass);
        } finally {
            model.train();
        }
        boolean[] keys = new boolean[b.inputs().length], queries = new boolean[keys.length];
        for (int q : b.queryPositions()) queries[q] = true;
        List<String> shown = new ArrayList<>();
        for (int t = 0; t < keys.length; t++) {
            keys[t] = task.isKey(b.inputs()[t]) && !queries[t];
            shown.add(Integer.toString(b.inputs()[t]));
        }
        List<Routing> routings = new ArrayList<>();
        for (var mom : model.sublayers(MoM.class)) {
            Routing r = pass.recorder().of(mom);
            if (r != null) routings.add(r);
        }
        return new Inspection(title + " (MQAR, P = " + pairs + ")", "memory", shown, keys, queries, 0, views(routings, "MoM layer "), 0, null, 0);
    }

    private static Inspection images(String title, ProMoE model, java.util.Map<String, String> config) {
        var dataset = org.moelab.data.ImageDataset.valueOf(config.get("dataset"));
        ProMoeRoutingProbe probe = new ProMoeRoutingProbe(dataset, 1, Long.parseLong(config.get(MoeCell.SEED)));
        List<Routing> routings = probe.route(model);
        LabelledImages clean = probe.images();
        float[][] pictures = new float[clean.count()][];
        for (int i = 0; i < pictures.length; i++) pictures[i] = clean.image(i);
        int side = LabelledImages.SIZE / model.patchSize();
        List<String> shown = new ArrayList<>();
        int perImage = model.tokensPerImage();
        for (int t = 0; t < pictures.length * perImage; t++) shown.add("img " + t / perImage + " patch " + t % perImage);
        return new Inspection(title + " (" + dataset + ", one noised image per class)", "expert", shown, null, null, 0,
                views(routings, "MoE block "), 0, pictures, side);
    }

    /**
     * LoRA-Mixer: the routed arm's scores on the test set (its models are scored, not kept) — each task coloured by the
     * expert that gets most of its router mass, and the task × expert mass matrix (mean probability at answer
     * positions, averaged over layers: the paper's Fig. 4), with the routing accuracy per layer in the title.
     */
    private static Inspection taskByExpert(String title, MoeRun run) {
        LoraMixerArmResult routed = null;
        for (Object r : run.results()) {
            if (r instanceof LoraMixerArmResult a && a.scores().taskByExpert() != null) routed = a;
        }
        if (routed == null) return new Inspection(title, "expert", List.of(), null, null, 0, List.of(), 0, null, 0);
        LoraMixerScores s = routed.scores();
        double[][] mass = s.taskByExpert();
        List<String> tasks = List.of(run.config().get("tasks").split(","));
        int experts = mass[0].length;
        int[] top = new int[mass.length];
        double entropy = 0;
        for (int t = 0; t < mass.length; t++) {
            for (int e = 0; e < experts; e++) {
                if (mass[t][e] > mass[t][top[t]]) top[t] = e;
                if (mass[t][e] > 0) entropy -= mass[t][e] * Math.log(mass[t][e]) / Math.log(2);
            }
        }
        StringBuilder accuracy = new StringBuilder();
        for (double a : s.routingAccuracy()) accuracy.append(accuracy.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", a));
        LayerView all = new LayerView("all layers (mean)", experts, top, s.load(), entropy / mass.length, 0, mass);
        return new Inspection(title + " — " + routed.arm() + "; routing accuracy per layer: " + accuracy, "expert", tasks, null, null, 0,
                List.of(all), 0, null, 0);
    }

    private static List<LayerView> views(List<Routing> routings, String prefix) {
        List<LayerView> out = new ArrayList<>();
        for (int l = 0; l < routings.size(); l++) {
            Routing r = routings.get(l);
            int experts = r.numExperts(), tokens = r.numTokens();
            int[] counts = r.tokensPerExpert();
            double total = java.util.Arrays.stream(counts).sum();
            double[] load = new double[experts];
            for (int e = 0; e < experts; e++) load[e] = total == 0 ? 0 : counts[e] / total;
            double[][] probabilities = null;
            double entropy = Double.NaN;
            if (r.probabilities() != null && r.probabilities().numel() == tokens * experts) {
                float[] p = r.probabilities().data();
                probabilities = new double[tokens][experts];
                entropy = 0;
                for (int t = 0; t < tokens; t++) {
                    for (int e = 0; e < experts; e++) {
                        double v = p[t * experts + e];
                        probabilities[t][e] = v;
                        if (v > 0) entropy -= v * Math.log(v) / Math.log(2);
                    }
                }
                entropy /= Math.max(1, tokens);
            }
            out.add(new LayerView(prefix + l, experts, r.primaryExpert(), load, entropy, r.droppedShare(), probabilities));
        }
        return out;
    }

    private static String swatch(int expert) {
        return "<span style=\"display:inline-block;width:9px;height:9px;background:" + hex(ChartStyle.color(expert)) + "\"></span>";
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
    }
}
