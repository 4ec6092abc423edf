package org.moelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The configuration block of a {@code %%moe} cell: one {@code key: value} per line ({@code #} starts a comment).
 * Every key has a default, a range and a description; an unknown key or a bad value fails with a message listing
 * what is allowed, before anything is built or trained.
 */
public final class RunSpec {
    /** One accepted key. */
    public record Key(String name, String defaultValue, String allowed, String description) {}

    public static final Map<String, Key> KEYS = keys(
            new Key("model", "lm", "lm | mom | smoe-dropout | evomoe | lora-mixer | promoe", "lm: a decoder-only language model with an MoE FFN in every block (the others: %%moe help MODEL)"),
            new Key("task", "tinytext", "tinytext | markov", "shipped text (Pride and Prejudice) or a generated 4-topic Markov corpus"),
            new Key("router", "topk", "topk | frozen | hash | expert-choice | dense | switch | dts | prototype",
                    "learned top-k, SMoE-Dropout's frozen random router, hash, expert choice, a dense FFN, Switch top-1, EvoMoE's dense-to-sparse gate (τ 2 → 0.3 over the first half, then hard), or ProMoE's prototypical top-1 (without RCL)"),
            new Key("experts", "8", "1..64", "number of experts N"),
            new Key("k", "2", "1..experts", "experts per token (top-k routers; the final k when a k schedule is set)"),
            new Key("kSchedule", "none", "none | linear | cosine | exponential", "grow k from kMin to k over training (SMoE-Dropout)"),
            new Key("kMin", "1", "1..k", "first k of a k schedule"),
            new Key("capacity", "0", "0..8", "capacity factor (0 = unlimited; expert choice needs > 0, default 1)"),
            new Key("balance", "0", "0..1", "Switch load-balance loss coefficient"),
            new Key("hidden", "256", "experts..4096, divisible by experts", "total FFN hidden units, split evenly over the experts"),
            new Key("dModel", "64", "8..512, divisible by heads", "model width"),
            new Key("heads", "4", "1..16", "attention heads"),
            new Key("layers", "2", "1..12", "transformer blocks"),
            new Key("context", "64", "8..512", "characters per training window"),
            new Key("batch", "16", "1..256", "windows per batch"),
            new Key("steps", "300", "1..100000", "training steps"),
            new Key("lr", "0.002", "(0, 1]", "peak learning rate (AdamW, cosine decay)"),
            new Key("dropout", "0.1", "[0, 1)", "residual dropout"),
            new Key("seed", "42", "any integer", "seed for initialisation, data order and noise"));

    private final Map<String, String> values;

    private RunSpec(Map<String, String> values) {
        this.values = values;
    }

    public static RunSpec defaults() {
        Map<String, String> v = new LinkedHashMap<>();
        KEYS.values().forEach(k -> v.put(k.name(), k.defaultValue()));
        return new RunSpec(v);
    }

    /** One {@code key: value} line of a {@code %%moe} body, with its 1-based line number. */
    record Line(int number, String key, String value) {}

    /**
     * A {@code %%moe} body's {@code key: value} lines, comments ({@code #}) and blank lines dropped; a line without a
     * colon fails naming its number, then {@code hint}. Shared by the lm's keys and a paper model's ({@link MoeCell}).
     */
    static List<Line> lines(String block, String hint) {
        List<Line> out = new ArrayList<>();
        String[] lines = block == null ? new String[0] : block.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceAll("#.*", "").trim();
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("%%moe line " + (i + 1) + ": expected 'key: value', got '" + line + "'." + hint);
            out.add(new Line(i + 1, line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return out;
    }

    /** Parses and validates a configuration block. */
    public static RunSpec parse(String block) {
        Map<String, String> v = new LinkedHashMap<>();
        KEYS.values().forEach(k -> v.put(k.name(), k.defaultValue()));
        for (Line line : lines(block, "\n" + help())) {
            Key known = KEYS.values().stream().filter(k -> k.name().equalsIgnoreCase(line.key())).findFirst().orElse(null);
            if (known == null) throw new IllegalArgumentException("%%moe line " + line.number() + ": unknown key '" + line.key() + "'.\n" + help());
            v.put(known.name(), line.value());
        }
        RunSpec spec = new RunSpec(v);
        spec.validate();
        return spec;
    }

    private void validate() {
        oneOf("model", "lm");
        oneOf("task", "tinytext", "markov");
        oneOf("router", "topk", "frozen", "hash", "expert-choice", "dense", "switch", "dts", "prototype");
        oneOf("kSchedule", "none", "linear", "cosine", "exponential");
        int experts = intIn("experts", 1, 64);
        int k = intIn("k", 1, experts);
        intIn("kMin", 1, k);
        doubleIn("capacity", 0, 8, true);
        doubleIn("balance", 0, 1, true);
        int hidden = intIn("hidden", experts, 4096);
        if (hidden % experts != 0) throw bad("hidden", "must be divisible by experts (" + experts + ")");
        int heads = intIn("heads", 1, 16);
        int d = intIn("dModel", 8, 512);
        if (d % heads != 0) throw bad("dModel", "must be divisible by heads (" + heads + ")");
        intIn("layers", 1, 12);
        intIn("context", 8, 512);
        intIn("batch", 1, 256);
        intIn("steps", 1, 100_000);
        double lr = doubleIn("lr", 0, 1, false);
        if (lr <= 0) throw bad("lr", "must be > 0");
        double dropout = doubleIn("dropout", 0, 1, true);
        if (dropout >= 1) throw bad("dropout", "must be < 1");
        longValue("seed");
    }

    public String get(String key) {
        return values.get(key);
    }

    public int intValue(String key) {
        return Integer.parseInt(values.get(key));
    }

    public double doubleValue(String key) {
        return Double.parseDouble(values.get(key));
    }

    public long longValue(String key) {
        try {
            return Long.parseLong(values.get(key));
        } catch (NumberFormatException e) {
            throw bad(key, "must be an integer");
        }
    }

    public Map<String, String> values() {
        return new LinkedHashMap<>(values);
    }

    /** The table of keys, defaults and ranges that every error message ends with. */
    public static String help() {
        StringJoiner j = new StringJoiner("\n", "Allowed keys (key: default, allowed values — meaning):\n", "");
        KEYS.values().forEach(k -> j.add(String.format(Locale.ROOT, "  %-10s %-9s %-45s %s", k.name() + ":", k.defaultValue(), k.allowed(), k.description())));
        return j.toString();
    }

    private void oneOf(String key, String... allowed) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                values.put(key, a);
                return;
            }
        }
        throw bad(key, "must be one of " + String.join(", ", allowed));
    }

    private int intIn(String key, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(values.get(key));
        } catch (NumberFormatException e) {
            throw bad(key, "must be an integer in [" + min + ", " + max + "]");
        }
        if (v < min || v > max) throw bad(key, "must be in [" + min + ", " + max + "]");
        return v;
    }

    private double doubleIn(String key, double min, double max, boolean minInclusive) {
        double v;
        try {
            v = Double.parseDouble(values.get(key));
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number in " + (minInclusive ? "[" : "(") + min + ", " + max + "]");
        }
        if (!(minInclusive ? v >= min : v > min) || v > max) throw bad(key, "must be in " + (minInclusive ? "[" : "(") + min + ", " + max + "]");
        return v;
    }

    private IllegalArgumentException bad(String key, String rule) {
        return new IllegalArgumentException("%%moe: " + key + " = '" + values.get(key) + "' " + rule + ".\n" + help());
    }

    private static Map<String, Key> keys(Key... ks) {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : ks) m.put(k.name(), k);
        return m;
    }

    @Override
    public String toString() {
        return "RunSpec" + values;
    }
}
