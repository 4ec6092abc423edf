package org.moelab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.moelab.experiments.ExperimentSpec;
import org.moelab.experiments.Papers;
import org.moelab.experiments.SettingsCodec;
import org.moelab.lab.Preset;

/**
 * What a user asked a sweep to do, from {@code ./moelab sweep} / {@code %moe sweep} arguments:
 * <pre>
 * PAPER --seeds 1..5 [--arms A,B,A@key=value] [--preset quick|full] [--set key=value ...]
 *       [--grid key=v1,v2 ...]                                      seeds × arms × every grid combination
 *       [--tune key=v1,v2 [--tune key2=...] --metric NAME [--goal max|min] [--tune-seeds 1001..1003]]
 *                                                        the fair tuning protocol (over every combination of the keys' values)
 *       [--master local[2]|spark://host:port|...] [--max-failures 4] [--out build/sweeps]
 * </pre>
 * {@link #validate()} checks every part against the paper's experiment — paper, arms, setting names, every value —
 * and the master, and throws IllegalArgumentException naming the parameter and what is allowed, before any work.
 * {@code lr} is accepted for {@code learningRate}.
 */
public record SweepPlan(String paper, Preset preset, List<Long> seeds, List<String> requestedArms, Map<String, String> fixed,
                        Map<String, List<String>> grid, Map<String, List<String>> tune, String metric, boolean maximise,
                        List<Long> tuneSeeds, String master, int maxFailures, Path out) {
    /** Setting names users type for longer record component names. */
    private static final Map<String, String> ALIASES = Map.of("lr", "learningRate");
    public static final String DEFAULT_MASTER = "local[" + Math.max(1, Runtime.getRuntime().availableProcessors()) + "]";
    public static final String USAGE = "sweep PAPER --seeds 1..5 [--arms A,B,A@key=value] [--preset quick|full] [--set key=value] [--grid key=v1,v2]"
            + " [--tune key=v1,v2 [--tune key2=...] --metric NAME [--goal max|min] [--tune-seeds 1001..1003]] [--master URL] [--max-failures N] [--out DIR]";

    public SweepPlan {
        seeds = List.copyOf(seeds);
        requestedArms = List.copyOf(requestedArms);
        fixed = new LinkedHashMap<>(fixed);
        grid = new LinkedHashMap<>(grid);
        tune = new LinkedHashMap<>(tune);
        tuneSeeds = List.copyOf(tuneSeeds);
    }

    public boolean tuning() {
        return !tune.isEmpty();
    }

    /** Parses command-line style arguments (the paper first). Syntax errors throw; meaning is checked by {@link #validate}. */
    public static SweepPlan parse(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("--")) throw new IllegalArgumentException("which paper? usage: " + USAGE + "; papers: " + String.join(", ", Papers.ids()));
        String paper = args.get(0);
        Preset preset = Preset.QUICK;
        List<Long> seeds = null, tuneSeeds = null;
        List<String> arms = List.of();
        Map<String, String> fixed = new LinkedHashMap<>();
        Map<String, List<String>> grid = new LinkedHashMap<>(), tune = new LinkedHashMap<>();
        String metric = null, master = DEFAULT_MASTER;
        boolean maximise = true;
        int maxFailures = 4;
        Path out = Path.of("build", "sweeps");
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) throw new IllegalArgumentException(option + " needs a value; usage: " + USAGE);
            String value = args.get(++i);
            switch (option) {
                case "--seeds" -> seeds = seeds(option, value);
                case "--tune-seeds" -> tuneSeeds = seeds(option, value);
                case "--arms" -> arms = List.of(value.split(","));
                case "--preset" -> preset = preset(value);
                case "--set" -> {
                    String[] kv = keyValue(option, value);
                    fixed.put(canonical(kv[0]), kv[1]);
                }
                case "--grid" -> {
                    String[] kv = keyValue(option, value);
                    grid.put(canonical(kv[0]), List.of(kv[1].split(",")));
                }
                case "--tune" -> {
                    String[] kv = keyValue(option, value);
                    if (tune.put(canonical(kv[0]), List.of(kv[1].split(","))) != null) throw new IllegalArgumentException("--tune " + kv[0] + " is given twice");
                }
                case "--metric" -> metric = value;
                case "--goal" -> maximise = switch (value) {
                    case "max" -> true;
                    case "min" -> false;
                    default -> throw new IllegalArgumentException("--goal '" + value + "': allowed max, min");
                };
                case "--master" -> master = value;
                case "--max-failures" -> maxFailures = positive(option, value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'; usage: " + USAGE);
            }
        }
        if (seeds == null) throw new IllegalArgumentException("--seeds is required (e.g. --seeds 1..5); usage: " + USAGE);
        if (tuneSeeds == null) tuneSeeds = seeds.stream().map(s -> s + 1000).toList();
        return new SweepPlan(paper, preset, seeds, arms, fixed, grid, tune, metric, maximise, tuneSeeds, master, maxFailures, out);
    }

    /**
     * The {@code %%moe sweep} cell form: {@code head} is what followed {@code sweep} on the magic's line (a paper and
     * options, possibly nothing); the body has one {@code key: value} per line, a key being an option without its
     * dashes ({@code paper: mom}, {@code seeds: 1..5}, {@code grid: lr=1e-3,2e-3}; {@code set}, {@code grid} and {@code tune} may
     * repeat). Blank lines and {@code #} comments are skipped. Same meaning and errors as {@link #parse}, which it
     * feeds, so the two forms cannot drift apart.
     */
    public static SweepPlan parseCell(List<String> head, String body) {
        List<String> args = new ArrayList<>(head);
        List<String> options = new ArrayList<>();
        String[] lines = body == null ? new String[0] : body.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("line " + (n + 1) + " '" + line + "': expected key: value (e.g. seeds: 1..5); keys are the options of " + USAGE);
            String key = line.substring(0, colon).strip(), value = line.substring(colon + 1).strip();
            if (key.equals("paper")) {
                if (!args.isEmpty() && !args.get(0).startsWith("--")) throw new IllegalArgumentException("line " + (n + 1) + ": the paper is already named (" + args.get(0) + ")");
                args.add(0, value);
            } else {
                options.add("--" + key);
                options.add(value);
            }
        }
        args.addAll(options);
        return parse(args);
    }

    /**
     * Checks the plan against the paper's experiment and the master; returns the base spec (preset plus the fixed
     * settings) whose hash names the sweep's result folder. Trains nothing.
     */
    public ExperimentSpec validate() {
        ExperimentSpec spec;
        try {
            spec = Papers.spec(paper, preset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("paper: " + e.getMessage(), e);
        }
        for (String needed : List.of(SweepPoint.SEEDS, SweepPoint.ARMS)) {
            // Every paper has both today; a paper added without them gets this error, not a failure inside Spark.
            if (!spec.settings().containsKey(needed)) {
                throw new IllegalArgumentException("paper '" + paper + "' cannot be swept yet: its settings have no '" + needed
                        + "' list to restrict one point to (sweepable: " + String.join(", ", sweepablePapers()) + ")");
            }
        }
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds is empty");
        List<String> allowedArms = allowedArms();
        for (String arm : arms()) {
            String name = SweepPoint.armName(arm);
            if (!allowedArms.contains(name)) throw new IllegalArgumentException("--arms: unknown arm '" + name + "' for " + paper + "; arms: " + String.join(", ", allowedArms)
                    + " (a variant: ARM@key=value[+key=value])");
        }
        if (new java.util.HashSet<>(arms()).size() != arms().size()) throw new IllegalArgumentException("--arms " + String.join(",", arms()) + ": an arm is named twice");
        for (Map.Entry<String, String> f : fixed.entrySet()) spec = checked(spec, "--set", f.getKey(), f.getValue());
        for (String arm : arms()) {
            for (Map.Entry<String, String> v : SweepPoint.armSettings(arm).entrySet()) {
                if (grid.containsKey(v.getKey()) || tune.containsKey(v.getKey())) {
                    throw new IllegalArgumentException("--arms " + arm + ": " + v.getKey() + " is also swept by --grid/--tune; a variant fixes a setting the sweep does not vary");
                }
                checked(spec, "--arms " + arm + ":", v.getKey(), v.getValue());
            }
        }
        for (Map.Entry<String, List<String>> g : grid.entrySet()) {
            if (g.getValue().isEmpty()) throw new IllegalArgumentException("--grid " + g.getKey() + ": no values");
            for (String v : g.getValue()) checked(spec, "--grid", g.getKey(), v);
        }
        if (tuning()) {
            if (!grid.isEmpty()) throw new IllegalArgumentException("--tune and --grid together: tune one setting per arm, or grid every combination, not both");
            if (metric == null) throw new IllegalArgumentException("--tune needs --metric NAME (the validation metric the value is chosen by) and --goal max|min");
            if (tuneSeeds.isEmpty()) throw new IllegalArgumentException("--tune-seeds is empty");
            if (tuneSeeds.stream().anyMatch(seeds::contains)) throw new IllegalArgumentException("--tune-seeds " + tuneSeeds + " overlap --seeds " + seeds + ": the chosen value must be reported on fresh seeds");
            for (Map.Entry<String, List<String>> t : tune.entrySet()) {
                if (t.getValue().isEmpty()) throw new IllegalArgumentException("--tune " + t.getKey() + ": no values");
                for (String v : t.getValue()) checked(spec, "--tune", t.getKey(), v);
            }
        }
        SparkMasters.check(master);
        SparkMasters.checkThisJvm();
        return spec;
    }

    /** The arms a point may train: those of the preset asked for, or {@code --arms}. */
    public List<String> arms() {
        if (!requestedArms.isEmpty()) return requestedArms;
        return List.of(Papers.spec(paper, preset).settings().get(SweepPoint.ARMS).split(","));
    }

    /** Every arm the experiment knows (its full preset's list). */
    private List<String> allowedArms() {
        return Papers.settings(paper).stream().filter(s -> s.name().equals(SweepPoint.ARMS)).map(s -> List.of(s.full().split(","))).findFirst().orElseThrow();
    }

    /** Each grid combination as overrides, in grid order (the last key varies fastest); one empty map without a grid. */
    public List<Map<String, String>> configurations() {
        return combinations(grid);
    }

    /** Each combination of the tuned settings' values (the candidates every arm is tuned over), in the same order. */
    public List<Map<String, String>> tuneConfigurations() {
        return combinations(tune);
    }

    private static List<Map<String, String>> combinations(Map<String, List<String>> values) {
        List<Map<String, String>> out = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (Map.Entry<String, List<String>> g : values.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : out) {
                for (String v : g.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(g.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private ExperimentSpec checked(ExperimentSpec spec, String option, String key, String value) {
        if (key.equals(SweepPoint.SEEDS) || key.equals(SweepPoint.ARMS)) throw new IllegalArgumentException(option + " " + key + ": use --" + key + " for that");
        if (!spec.settings().containsKey(key)) {
            throw new IllegalArgumentException(option + ": unknown setting '" + key + "' for " + paper + "; settings: " + String.join(", ", spec.settings().keySet())
                    + (ALIASES.isEmpty() ? "" : " (aliases: " + ALIASES + ")"));
        }
        ExperimentSpec changed = spec.with(key, value);
        try {
            Papers.validate(changed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + key + "=" + value + ": " + e.getMessage(), e);
        }
        return changed;
    }

    /** The papers whose experiments can train one arm and one seed alone. */
    public static List<String> sweepablePapers() {
        return Papers.ids().stream().filter(Papers::reproducible)
                .filter(id -> Papers.settings(id).stream().map(SettingsCodec.Setting::name).toList().containsAll(List.of(SweepPoint.SEEDS, SweepPoint.ARMS)))
                .toList();
    }

    private static String canonical(String key) {
        return ALIASES.getOrDefault(key, key);
    }

    private static String[] keyValue(String option, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) throw new IllegalArgumentException(option + " '" + value + "': expected key=value" + (option.equals("--set") ? "" : "1,value2,..."));
        return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
    }

    /** {@code 1..5} or {@code 1,2,7}. */
    static List<Long> seeds(String option, String value) {
        try {
            int range = value.indexOf("..");
            if (range >= 0) {
                long from = Long.parseLong(value.substring(0, range).trim()), to = Long.parseLong(value.substring(range + 2).trim());
                if (to < from) throw new IllegalArgumentException("empty range");
                List<Long> out = new ArrayList<>();
                for (long s = from; s <= to; s++) out.add(s);
                return out;
            }
            return Arrays.stream(value.split(",")).map(s -> Long.parseLong(s.trim())).toList();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " '" + value + "': expected a range like 1..5 or a list like 1,2,7", e);
        }
    }

    private static Preset preset(String value) {
        try {
            return Preset.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--preset '" + value + "': allowed quick, full", e);
        }
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(option + " '" + value + "': expected an integer ≥ 1");
    }
}
