package org.moelab.experiments;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.moelab.lab.Preset;

/** The five papers, in notebook order; {@code %moe papers} lists them and {@code %moe reproduce <id>} runs one. */
public final class Papers {
    public static final List<Paper> ALL = List.of(
            new Paper("smoe-dropout", "Sparse MoE as the New Dropout: Scaling Dense and Self-Slimmable Transformers",
                    "Chen, Zhang, Jaiswal, Liu, Wang", "ICLR 2023 (arXiv 2303.01610)", "01-smoe-dropout.ipynb", "papers/smoe-dropout.md",
                    "A frozen random router with a growing k makes a self-slimmable model: quality improves monotonically with the experts used at inference."),
            new Paper("mom", "MoM: Linear Sequence Modeling with Mixture-of-Memories",
                    "Du, Sun, Lan, Hu, Cheng", "ICLR 2026 (arXiv 2502.13685)", "02-mom.ipynb", "papers/mom.md",
                    "Several routed memories reduce memory interference: better recall than one linear-attention memory."),
            new Paper("evomoe", "EvoMoE: An Evolutional Mixture-of-Experts Training Framework via Dense-To-Sparse Gate",
                    "Nie et al.", "arXiv 2112.14397", "03-evomoe.ipynb", "papers/evomoe.md",
                    "Spawning experts from one trained expert and annealing a dense-to-sparse gate converges faster than Switch."),
            new Paper("lora-mixer", "LoRA-Mixer: Coordinate Modular LoRA Experts Through Serial Attention Routing",
                    "Li et al.", "ICLR 2026 (arXiv 2507.00029)", "04-lora-mixer.ipynb", "papers/lora-mixer.md",
                    "Routed task LoRA experts in the attention projections beat multi-task LoRA and approach oracle routing."),
            new Paper("promoe", "Routing Matters in MoE: Scaling Diffusion Transformers with Explicit Routing Guidance",
                    "Wei et al.", "ICLR 2026 (arXiv 2510.24711)", "05-promoe.ipynb", "papers/promoe.md",
                    "Conditional + prototypical routing with a contrastive loss specialises experts in a diffusion transformer."));

    /** The experiment behind {@code %moe reproduce <id>}, per paper that has one so far. */
    private static final Map<String, Function<Preset, ExperimentReport>> REPRODUCTIONS = Map.of(
            "smoe-dropout", SmoeDropoutExperiment::reproduce,
            "mom", MomRecall::reproduce,
            "evomoe", EvoMoeConvergence::reproduce,
            "lora-mixer", LoraMixerMultiTask::reproduce,
            "promoe", ProMoeGuidance::reproduce);

    private Papers() {}

    /** Runs a paper's experiment at a preset and returns its tables, charts and verdict. */
    public static ExperimentReport reproduce(String id, Preset preset) {
        Paper paper = byId(id).orElseThrow(() -> new IllegalArgumentException("No paper '" + id + "'. Papers: " + String.join(", ", ids())));
        Function<Preset, ExperimentReport> experiment = REPRODUCTIONS.get(paper.id());
        if (experiment == null) {
            throw new IllegalArgumentException("The " + paper.id() + " experiment is not implemented yet; reproducible now: "
                    + String.join(", ", REPRODUCTIONS.keySet()));
        }
        return experiment.apply(preset);
    }

    /** Whether {@link #reproduce} can run this paper. */
    public static boolean reproducible(String id) {
        return REPRODUCTIONS.containsKey(id.toLowerCase());
    }

    public static Optional<Paper> byId(String id) {
        return ALL.stream().filter(p -> p.id().equalsIgnoreCase(id)).findFirst();
    }

    /** The ids, for error messages. */
    public static List<String> ids() {
        return ALL.stream().map(Paper::id).toList();
    }
}
