package org.moelab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.moelab.report.ExperimentReport;
import org.moelab.train.Run;
import org.moelab.viz.HtmlRenderable;

/**
 * What a {@code %%moe} cell trained, as one value a later cell can keep working with ({@code %%moe --as name} binds
 * it): the model's name, the cell's resolved configuration (every key, defaults included), the report the cell
 * showed, and the results behind it, each an {@link ExperimentRunner.ArmRun} — {@link CustomRun.Result} (with the
 * trained language model) for {@code lm}, the paper experiment's arm results for a paper's model. Shows as its report.
 *
 * @param model   one of {@link MoeCell#MODELS}
 * @param config  key → value as the run used it, in help order; running a cell with these values gives the same bits
 * @param report  tables and charts, as the cell displayed them
 * @param results one per trained arm × seed; a {@link CustomRun.Result} or an experiment's arm result record
 */
public record MoeRun(String model, Map<String, String> config, ExperimentReport report, List<?> results) implements HtmlRenderable {
    public MoeRun {
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        results = List.copyOf(results);
    }

    /** The training runs (history, status, wall time) of every trained arm, in order; empty when nothing trained. */
    public List<Run> runs() {
        List<Run> out = new ArrayList<>();
        for (Object r : results) if (r instanceof ExperimentRunner.ArmRun<?> a && a.run() != null) out.add(a.run());
        return out;
    }

    /** The one training run of this cell (the last when an experiment trained several, e.g. LoRA-Mixer's stages). */
    public Run run() {
        List<Run> runs = runs();
        if (runs.isEmpty()) throw new IllegalStateException("This %%moe " + model + " run keeps no training history (results: " + results + ")");
        return runs.get(runs.size() - 1);
    }

    /**
     * The trained model of the cell's (last) arm — a {@code CausalTransformer} (lm, and mom: its MQAR model), {@code SmoeDropout},
     * {@code EvoMoE} or {@code ProMoE} — or null where the results keep none
     * (LoRA-Mixer's arms are scored, not kept).
     */
    public Object trainedModel() {
        for (int i = results.size() - 1; i >= 0; i--) {
            if (results.get(i) instanceof ExperimentRunner.ArmRun<?> a && a.model() != null) return a.model();
        }
        return null;
    }

    @Override
    public String toHtml() {
        return report.toHtml();
    }

    /** One line: model, arm or router, seed and steps (the report is what the HTML shows). */
    @Override
    public String toString() {
        String arm = config.getOrDefault(MoeCell.ARM, config.getOrDefault(MoeCell.ROUTER, ""));
        return "MoeRun[" + model + " " + arm + ", seed " + config.get(MoeCell.SEED)
                + (runs().isEmpty() ? "" : ", " + run().stepsDone() + " steps, " + run().status()) + "]";
    }
}
