package org.moelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.moelab.lab.Preset;

/**
 * What a {@code %%moe} cell trains: any of the lab's six models, each on its own task with its own metric.
 * <ul>
 *   <li>{@code model: lm} — the decoder language model with any of five routers ({@link RunSpec}, {@link CustomRun}).</li>
 *   <li>{@code model: <paper>} — one arm of that paper's experiment for one seed, at the quick preset with the cell's
 *       keys changed. The keys <em>are</em> the experiment's declared settings ({@link Papers#settings}, the same
 *       list a sweep's {@code --set} reads), so a cell, a notebook and a sweep point with equal values give equal bits.</li>
 * </ul>
 * {@code router:} picks the arm of a paper's experiment that uses that router ({@link #routers}); {@code arm:} picks
 * any arm by name (the ablations). A pair with no such arm is rejected before anything trains, naming the pair and
 * the models the router fits.
 */
public final class MoeCell {
    /** The models a cell can train, in help order. */
    public static final List<String> MODELS = List.of("lm", "mom", "smoe-dropout", "evomoe", "lora-mixer", "promoe");

    /** Every router name a cell accepts somewhere, in help order. */
    public static final List<String> ROUTER_NAMES = List.of("topk", "frozen", "hash", "expert-choice", "dense", "switch", "dts",
            "prototype", "conditional+prototype", "oracle");

    /** The cell keys every paper's model has besides its settings. */
    public static final String MODEL = "model", ROUTER = "router", ARM = "arm", SEED = "seed";

    /** Per paper's model: router name → the experiment's arm that routes that way. */
    private static final Map<String, Map<String, String>> ARM_BY_ROUTER = Map.of(
            "smoe-dropout", ordered("dense", "DENSE", "topk", "LEARNED", "frozen", "SMOE_DROPOUT"),
            "evomoe", ordered("dense", "DENSE", "topk", "SWITCH", "switch", "SWITCH", "hash", "HASH", "dts", "EVOMOE"),
            "mom", ordered("topk", "MOM", "oracle", "MOM_ORACLE"),
            "lora-mixer", ordered("topk", "SBL", "oracle", "ORACLE_ROUTING"),
            "promoe", ordered("dense", "DENSE", "topk", "TOKEN_CHOICE", "expert-choice", "EXPERT_CHOICE", "prototype", "PROTOTYPICAL",
                    "conditional+prototype", "PROMOE"));

    /** What each model learns and what it reports, for help. */
    private static final Map<String, String> TASKS = Map.of(
            "lm", "character LM on the shipped text (or a Markov corpus); valid BPC, expert load per layer",
            "mom", "multi-query associative recall (MQAR); recall accuracy per number of key-value pairs, memory load",
            "smoe-dropout", "character LM on the shipped text; valid BPC at every k, expert token share",
            "evomoe", "MixLM-4 (four sources); validation loss per checkpoint and per source, active experts, flip rate",
            "lora-mixer", "SeqTasks (stage 1: task LoRA experts; stage 2: the router); exact match per task",
            "promoe", "class-conditional rectified-flow DiT on Shapes-10 / Textures-10; FD per CFG weight, evaluator accuracy");

    private MoeCell() {}

    /** The routers a model's MoE slot takes (for {@code lm}: the routers of {@link RunSpec}). */
    public static List<String> routers(String model) {
        String m = model(model);
        if (m.equals("lm")) return List.of(RunSpec.KEYS.get(ROUTER).allowed().split(" \\| "));
        return List.copyOf(ARM_BY_ROUTER.get(m).keySet());
    }

    /** The keys of a model's cell, with their defaults (the quick preset's values), ranges and meanings. */
    public static List<RunSpec.Key> keys(String model) {
        String m = model(model);
        if (m.equals("lm")) return List.copyOf(RunSpec.KEYS.values());
        List<RunSpec.Key> keys = new ArrayList<>();
        keys.add(new RunSpec.Key(MODEL, m, String.join(" | ", MODELS), "which model the cell trains"));
        keys.add(new RunSpec.Key(ROUTER, "", String.join(" | ", routers(m)), "the router of the MoE slot (picks the experiment's arm that uses it)"));
        keys.add(new RunSpec.Key(ARM, defaultArm(m), String.join(" | ", Papers.armChoices(m)), "the experiment's arm, ablations included (instead of router)"));
        keys.add(new RunSpec.Key(SEED, firstSeed(Papers.spec(m, Preset.QUICK)), "any integer", "seed for initialisation, data and noise"));
        for (SettingsCodec.Setting s : Papers.settings(m)) {
            if (isRestricted(s.name())) continue;
            keys.add(new RunSpec.Key(s.name(), s.quick(), s.range().isEmpty() ? s.type() : s.range(), s.description()));
        }
        return keys;
    }

    /**
     * The body of the {@code %%moe} cell that trains a paper's own method at its quick setting (one seed): the model
     * and the router of the paper's arm (or the arm, when no router name maps to it), one line each.
     */
    public static String quickCell(String paper) {
        String m = model(paper);
        if (m.equals("lm")) throw new IllegalArgumentException("%%moe: lm is the lab's model, not a paper");
        String arm = defaultArm(m);
        String router = ARM_BY_ROUTER.get(m).entrySet().stream().filter(e -> e.getValue().equals(arm)).map(Map.Entry::getKey)
                .reduce((first, second) -> second).orElse(null);
        return MODEL + ": " + m + "\n" + (router != null ? ROUTER + ": " + router : ARM + ": " + arm);
    }

    /** Every model with its task, and how to see a model's keys. */
    public static String help() {
        StringJoiner j = new StringJoiner("\n", "%%moe [--as NAME] trains one model; the first line of the body names it (model: lm by default):\n", "");
        for (String m : MODELS) j.add(String.format(Locale.ROOT, "  %-13s %s", m, TASKS.get(m)));
        j.add("Routers: " + String.join(" | ", ROUTER_NAMES) + " (each model takes those its MoE slot can; %%moe help MODEL lists them).");
        j.add("%%moe help MODEL lists a model's keys; --as NAME binds the trained run (a MoeRun) to a notebook variable.");
        j.add("");
        j.add(help("lm"));
        return j.toString();
    }

    /** A model's keys: name, default, allowed values, meaning. */
    public static String help(String model) {
        String m = model(model);
        if (m.equals("lm")) return RunSpec.help();
        StringJoiner j = new StringJoiner("\n", "%%moe model: " + m + " — " + TASKS.get(m) + ". Keys (key: default, allowed — meaning):\n", "");
        for (RunSpec.Key k : keys(m)) {
            j.add(String.format(Locale.ROOT, "  %-20s %-12s %-40s %s", k.name() + ":", k.defaultValue(), k.allowed(), k.description()));
        }
        return j.toString();
    }

    /**
     * The model a cell body names ({@code model: ...}, {@code lm} when absent); fails naming the allowed models. Other
     * lines are not checked here (a body being typed may have unfinished ones): {@link #spec} and {@link #run} do.
     */
    public static String modelOf(String body) {
        String model = "lm";
        for (String line : (body == null ? "" : body).split("\\R")) {
            String l = line.replaceAll("#.*", "").trim();
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(MODEL)) model = l.substring(colon + 1).trim();
        }
        return model(model);
    }

    /**
     * Parses and validates a paper model's cell body into the experiment spec it trains: one arm, one seed, the
     * quick preset with the body's keys. Nothing is trained; every error names the key and what is allowed.
     */
    public static ExperimentSpec spec(String body) {
        String m = modelOf(body);
        if (m.equals("lm")) throw new IllegalArgumentException("%%moe model: lm is a RunSpec, not an experiment spec");
        ExperimentSpec spec = Papers.spec(m, Preset.QUICK);
        Map<String, String> settingNames = new LinkedHashMap<>();
        for (String s : spec.settings().keySet()) settingNames.put(s.toLowerCase(Locale.ROOT), s);
        String router = null, arm = null, seed = firstSeed(spec);
        for (RunSpec.Line line : lines(body)) {
            String key = line.key(), value = line.value();
            switch (key.toLowerCase(Locale.ROOT)) {
                case MODEL -> { }
                case ROUTER -> router = value.toLowerCase(Locale.ROOT);
                case ARM -> arm = value.toUpperCase(Locale.ROOT).replace('-', '_');
                case SEED -> seed = value;
                default -> {
                    String setting = settingNames.get(key.toLowerCase(Locale.ROOT));
                    if (setting == null || isRestricted(setting)) {
                        throw new IllegalArgumentException("%%moe model: " + m + ": unknown key '" + key + "'"
                                + (setting != null ? " (a cell trains one seed and one arm: use seed:, and arm: or router:)" : "")
                                + ".\n" + help(m));
                    }
                    spec = spec.with(setting, value);
                }
            }
        }
        try {
            Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%%moe model: " + m + ": seed = '" + seed + "' must be an integer.");
        }
        String chosen = chooseArm(m, router, arm);
        spec = spec.with(ExperimentSpec.SEEDS, seed).with(ExperimentSpec.ARMS, chosen);
        try {
            Papers.validate(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("%%moe model: " + m + ": " + e.getMessage() + "\n" + help(m), e);
        }
        return spec;
    }

    /** Checks a cell body (any model) without training: throws IllegalArgumentException naming the key and what is allowed. */
    public static void validate(String body) {
        if (modelOf(body).equals("lm")) lmSpec(body);
        else spec(body);
    }

    /** Trains what a cell body describes (any model), shows nothing, and returns the run. */
    public static MoeRun run(String body) {
        String m = modelOf(body);
        if (m.equals("lm")) {
            RunSpec spec = lmSpec(body);
            CustomRun.Result result = CustomRun.execute(spec);
            Map<String, String> config = new LinkedHashMap<>();
            config.put(MODEL, "lm");
            config.putAll(spec.values());
            return new MoeRun("lm", config, result.report(), List.of(result));
        }
        ExperimentSpec spec = spec(body);
        Papers.Outcome outcome = Papers.outcome(spec);
        Map<String, String> config = new LinkedHashMap<>();
        config.put(MODEL, m);
        config.put(ARM, spec.settings().get(ExperimentSpec.ARMS));
        config.put(SEED, spec.settings().get(ExperimentSpec.SEEDS));
        spec.settings().forEach((k, v) -> { if (!isRestricted(k)) config.put(k, v); });
        return new MoeRun(m, config, outcome.report(), outcome.armResults());
    }

    private static String chooseArm(String model, String router, String arm) {
        List<String> arms = Papers.armChoices(model);
        String byRouter = null;
        if (router != null) {
            byRouter = ARM_BY_ROUTER.get(model).get(router);
            if (byRouter == null) throw doesNotFit(model, router, "its experiment has no arm routed that way", " (arm: picks any of " + String.join(" | ", arms) + ".)");
        }
        if (arm != null) {
            if (!arms.contains(arm)) throw new IllegalArgumentException("%%moe model: " + model + ": arm = '" + arm + "' must be one of " + String.join(" | ", arms) + ".");
            if (byRouter != null && !byRouter.equals(arm)) {
                throw new IllegalArgumentException("%%moe model: " + model + ": router '" + router + "' is arm " + byRouter + ", but arm: says " + arm + "; give one of them.");
            }
            return arm;
        }
        return byRouter != null ? byRouter : defaultArm(model);
    }

    /** Why a router fits no slot of some models: what it routes by. */
    private static final Map<String, String> NEEDS = Map.of(
            "conditional+prototype", "it routes by class label, and only ProMoE's class-conditional images carry one",
            "oracle", "it routes by each token's true task or key, which only MoM's MQAR and LoRA-Mixer's tasks define");

    /** The error for a router a model's slot cannot take: the pair, why, the model's routers and where the router fits. */
    private static IllegalArgumentException doesNotFit(String model, String router, String otherwise, String suffix) {
        String fits = new TreeSet<>(MODELS.stream().filter(o -> routers(o).contains(router)).toList()).toString();
        return new IllegalArgumentException("%%moe: router '" + router + "' does not fit model '" + model + "': " + NEEDS.getOrDefault(router, otherwise)
                + ". Routers of " + model + ": " + String.join(" | ", routers(model))
                + (ROUTER_NAMES.contains(router) ? "; '" + router + "' fits " + fits : "; known routers: " + String.join(" | ", ROUTER_NAMES)) + "." + suffix);
    }

    /** The lm's RunSpec, after checking its router the way a paper model's is checked (one message for every model). */
    private static RunSpec lmSpec(String body) {
        for (RunSpec.Line line : lines(body)) {
            String router = line.value().toLowerCase(Locale.ROOT);
            if (line.key().equalsIgnoreCase(ROUTER) && !routers("lm").contains(router)) {
                throw doesNotFit("lm", router, "the language model's slot takes no such router", "");
            }
        }
        // RunSpec knows the model key too (its only value is lm), so the body goes to it unchanged.
        return RunSpec.parse(body);
    }

    private static String defaultArm(String model) {
        return Papers.headline(model).map(Papers.Headline::arm).orElseGet(() -> Papers.armChoices(model).get(0));
    }

    /** The first seed of a spec: a cell's default (the quick preset's, so a bare cell is the notebook's first run). */
    private static String firstSeed(ExperimentSpec spec) {
        return spec.settings().get(ExperimentSpec.SEEDS).split(",")[0].trim();
    }

    private static boolean isRestricted(String setting) {
        return setting.equals(ExperimentSpec.SEEDS) || setting.equals(ExperimentSpec.ARMS);
    }

    private static String model(String name) {
        String m = name == null ? "lm" : name.trim().toLowerCase(Locale.ROOT);
        if (!MODELS.contains(m)) throw new IllegalArgumentException("%%moe: model = '" + name + "' must be one of " + String.join(" | ", MODELS) + ".");
        return m;
    }

    private static List<RunSpec.Line> lines(String body) {
        return RunSpec.lines(body, " %%moe help lists the models and keys.");
    }

    private static Map<String, String> ordered(String... routerThenArm) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < routerThenArm.length; i += 2) m.put(routerThenArm[i], routerThenArm[i + 1]);
        return m;
    }
}
