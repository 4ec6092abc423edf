package org.moelab.experiments;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.moelab.lab.Preset;
import org.moelab.report.ExperimentReport;

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

    /**
     * The comparison a paper's claim rests on, for statistics over seeds (a sweep's table): {@code arm} against
     * {@code baseline} (arm names as a spec lists them) on the metric whose whole name matches the regular expression
     * {@code metric} — the last such column of the experiment's runs table, which the experiments order so that it is
     * the hardest setting (most key-value pairs, largest k, largest CFG weight); a whole-name match so that a later
     * column such as "val loss at N/2" is never taken for "val loss" — in the direction the claim predicts. Kept beside the
     * verdict rule's text so the paper's knowledge stays in one place; not part of {@link ExperimentSpec}, so adding
     * one changes no spec's hash. {@code baselineMetric} is the baseline's own pattern where its metric is named
     * otherwise: a baseline without the swept quantity (LoRA-Mixer's multi-task LoRA has no router, so no router data
     * size N) has one row, and its metric no key suffix.
     */
    public record Headline(String claim, String arm, String baseline, String metric, String baselineMetric, boolean higherIsBetter) {
        /** Both arms read on the same metric. */
        public Headline(String claim, String arm, String baseline, String metric, boolean higherIsBetter) {
            this(claim, arm, baseline, metric, metric, higherIsBetter);
        }
    }

    /**
     * A paper's experiment as data: its settings record (every setting by name, seeds and arm lists included), the
     * presets, the arms a settings value trains, what it reports, the rule its verdict applies, and how to run it.
     */
    private record Experiment<S extends Record>(Class<S> settings, Function<Preset, S> preset, Function<S, List<?>> arms,
                                                List<String> metrics, String verdictRule, Headline headline, Function<S, Outcome> run) {
        ExperimentSpec spec(Paper paper, S s) {
            List<String> armNames = arms.apply(s).stream().map(a -> a instanceof Enum<?> e ? e.name() : a.toString()).toList();
            return new ExperimentSpec(paper.id(), paper.title(), armNames, SettingsCodec.toMap(s), metrics, verdictRule);
        }

        Outcome run(ExperimentSpec spec) {
            return run.apply(SettingsCodec.fromMap(settings, spec.settings()));
        }

        void validate(ExperimentSpec spec) {
            SettingsCodec.fromMap(settings, spec.settings());
        }
    }

    /** The experiment behind {@code %moe reproduce <id>}, per paper. */
    private static final Map<String, Experiment<?>> EXPERIMENTS = Map.of(
            "smoe-dropout", new Experiment<>(SmoeDropoutSettings.class, SmoeDropoutSettings::of, SmoeDropoutSettings::arms,
                    List.of("validation BPC at k = 1, 2, 4, ..., N", "train seconds", "expert token share"),
                    "SMoE-Dropout's BPC falls monotonically in k, reaches dense BPC ± 0.05 at k = N; a learned router at k = 2 gains < 0.01 from more experts",
                    new Headline("with all N experts active, SMoE-Dropout has lower BPC than a learned router trained at k = 2", "SMOE_DROPOUT", "LEARNED", "valid BPC \\[k=\\d+\\]", false),
                    s -> { var e = new SmoeDropoutExperiment(s); var runs = e.runAll(); return new Outcome(e.report(runs), runs); }),
            "mom", new Experiment<>(MomSettings.class, MomSettings::of, MomSettings::arms,
                    List.of("recall accuracy per number of key-value pairs", "memory load"),
                    "several routed memories recall better than one linear-attention memory at equal state",
                    new Headline("MoM recalls more key-value pairs than one linear-attention memory", "MOM", "LINEAR_ATTENTION", "acc P=\\d+", true),
                    s -> { var e = new MomExperiment(s); var runs = e.runAll(); return new Outcome(e.report(runs), runs); }),
            "evomoe", new Experiment<>(EvoMoeSettings.class, EvoMoeSettings::of, EvoMoeSettings::arms,
                    List.of("validation loss per checkpoint", "steps and FLOPs to Switch's final loss", "active experts per token", "flip rate", "MI(source; expert)"),
                    "EvoMoE reaches Switch's final validation loss in fewer steps; active experts fall from about E (≥ 3) to 1",
                    new Headline("EvoMoE ends with a lower validation loss than Switch at equal steps", "EVOMOE", "SWITCH", "val loss", false),
                    s -> { var e = new EvoMoeExperiment(s); var runs = e.runAll(); return new Outcome(e.report(runs), runs); }),
            "lora-mixer", new Experiment<>(LoraMixerSettings.class, LoraMixerSettings::of, LoraMixerSettings::arms,
                    List.of("exact-match accuracy per task", "mean accuracy per router-data size N", "parameters"),
                    "routed task-LoRA experts beat multi-task LoRA and approach oracle routing",
                    // SBL's runs rows are one per router N (metrics "macro EM [router N=...]", the largest last); the
                    // multi-task LoRA has no router, so its one row's "macro EM" is compared.
                    new Headline("LoRA-Mixer (SBL routers, top-k) has a higher mean exact match than a multi-task LoRA of the same rank (largest router data size N)",
                            "SBL", "MULTI_TASK_LORA", "macro EM \\[router N=\\d+\\]", "macro EM", true),
                    s -> { var e = new LoraMixerExperiment(s); var runs = e.runAll(); return new Outcome(e.report(runs), runs); }),
            "promoe", new Experiment<>(ProMoeSettings.class, ProMoeSettings::of, ProMoeSettings::arms,
                    List.of("FD per CFG weight", "conditional accuracy", "JSD and MI(class; expert)", "live experts", "subspace overlap"),
                    "conditional + prototypical routing with RCL specialises experts by class and lowers FD at equal activated compute",
                    new Headline("ProMoE has a lower FD than token-choice routing at equal activated compute (largest CFG weight)", "PROMOE", "TOKEN_CHOICE", "FD \\(CFG [0-9.]+\\)", false),
                    s -> { var e = new ProMoeExperiment(s); var runs = e.runAll(); return new Outcome(e.report(runs), runs); }));

    private Papers() {}

    /** What running an experiment gave: its report and the per-arm × seed results behind it, in training order. */
    public record Outcome(ExperimentReport report, List<?> armResults) {
        public Outcome {
            armResults = List.copyOf(armResults);
        }
    }

    /** Runs a paper's experiment at a preset and returns its tables, charts and verdict. */
    public static ExperimentReport reproduce(String id, Preset preset) {
        return run(spec(id, preset));
    }

    /** A paper's experiment at a preset, as data. */
    public static ExperimentSpec spec(String id, Preset preset) {
        return spec(id, experiment(id).preset().apply(preset));
    }

    /** A paper's experiment with the given settings record, as data. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ExperimentSpec spec(String id, Record settings) {
        Experiment e = experiment(id);
        if (!e.settings().isInstance(settings)) throw new IllegalArgumentException("The " + id + " experiment takes " + e.settings().getSimpleName() + ", got " + settings.getClass().getSimpleName());
        return e.spec(byId(id).orElseThrow(), settings);
    }

    /** Runs an experiment from its spec alone (settings rebuilt from the spec's named values). */
    public static ExperimentReport run(ExperimentSpec spec) {
        return outcome(spec).report();
    }

    /** Runs an experiment from its spec alone and keeps its per-arm results (a {@code %%moe} run binds them). */
    public static Outcome outcome(ExperimentSpec spec) {
        return experiment(spec.id()).run(spec);
    }

    /**
     * Checks, without training anything, that a spec names an implemented experiment and that its settings rebuild
     * that experiment's settings record (every name known, every value of its type); throws
     * IllegalArgumentException naming the paper or the setting and what is allowed.
     */
    public static void validate(ExperimentSpec spec) {
        experiment(spec.id()).validate(spec);
    }

    /** The comparison the paper's claim rests on (see {@link Headline}), if one is defined for its experiment. */
    public static Optional<Headline> headline(String id) {
        return Optional.ofNullable(experiment(id).headline());
    }

    /** Every arm an experiment's {@code arms} setting accepts: its enum's constants, in the study's order. */
    public static List<String> armChoices(String id) {
        for (RecordComponent c : experiment(id).settings().getRecordComponents()) {
            if (c.getName().equals(ExperimentSpec.ARMS) && c.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> arm && arm.isEnum()) {
                return Arrays.stream(arm.getEnumConstants()).map(a -> ((Enum<?>) a).name()).toList();
            }
        }
        throw new IllegalStateException("The " + id + " experiment's settings have no list of enum arms");
    }

    /** Every setting of a paper's experiment: name, type, description, range, and the quick and full values. */
    public static List<SettingsCodec.Setting> settings(String id) {
        Experiment<?> e = experiment(id);
        return SettingsCodec.declared(e.preset().apply(Preset.QUICK), e.preset().apply(Preset.FULL));
    }

    private static Experiment<?> experiment(String id) {
        Paper paper = byId(id).orElseThrow(() -> new IllegalArgumentException("No paper '" + id + "'. Papers: " + String.join(", ", ids())));
        Experiment<?> experiment = EXPERIMENTS.get(paper.id());
        if (experiment == null) {
            throw new IllegalArgumentException("The " + paper.id() + " experiment is not implemented yet; reproducible now: "
                    + String.join(", ", EXPERIMENTS.keySet()));
        }
        return experiment;
    }

    /** Whether {@link #reproduce} can run this paper. */
    public static boolean reproducible(String id) {
        return EXPERIMENTS.containsKey(id.toLowerCase());
    }

    public static Optional<Paper> byId(String id) {
        return ALL.stream().filter(p -> p.id().equalsIgnoreCase(id)).findFirst();
    }

    /** The ids, for error messages. */
    public static List<String> ids() {
        return ALL.stream().map(Paper::id).toList();
    }
}
