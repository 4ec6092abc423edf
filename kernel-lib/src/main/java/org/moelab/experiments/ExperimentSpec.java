package org.moelab.experiments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One experiment as plain data: which paper's experiment ({@code id}), the arms it trains, every setting by name
 * (seeds included, as the settings record declares them), the metrics it reports and the verdict rule it checks.
 * {@link Papers#run(ExperimentSpec)} runs a spec alone; {@link #toText()} and {@link #parse} serialise it (one
 * {@code key: value} per line, settings prefixed {@code setting.}), and {@link #contentHash()} is a stable SHA-256
 * of that text, so two specs with the same contents name the same run wherever it is computed.
 */
public record ExperimentSpec(String id, String paper, List<String> arms, Map<String, String> settings, List<String> metrics, String verdictRule) {
    /** The two settings every experiment has: the seeds it trains and the arms it trains (a sweep point or a cell keeps one of each). */
    public static final String SEEDS = "seeds", ARMS = "arms";

    public ExperimentSpec {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("ExperimentSpec: id must not be blank");
        arms = List.copyOf(arms);
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        metrics = List.copyOf(metrics);
        for (String s : settings.keySet()) {
            if (s.contains(":") || s.contains("\n")) throw new IllegalArgumentException("ExperimentSpec: setting name '" + s + "' may not hold ':' or a line break");
        }
    }

    /** The same spec with one setting changed (its string form, as {@link SettingsCodec} writes it). */
    public ExperimentSpec with(String setting, String value) {
        if (!settings.containsKey(setting)) throw new IllegalArgumentException("ExperimentSpec " + id + ": unknown setting '" + setting + "'; settings: " + settings.keySet());
        Map<String, String> m = new LinkedHashMap<>(settings);
        m.put(setting, value);
        return new ExperimentSpec(id, paper, arms, m, metrics, verdictRule);
    }

    /** The canonical text form: stable order, one line per field, nothing else. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("id: ").append(id).append('\n');
        sb.append("paper: ").append(oneLine(paper)).append('\n');
        sb.append("arms: ").append(String.join(" | ", arms)).append('\n');
        settings.forEach((k, v) -> sb.append("setting.").append(k).append(": ").append(oneLine(v)).append('\n'));
        sb.append("metrics: ").append(String.join(" | ", metrics)).append('\n');
        sb.append("verdict: ").append(oneLine(verdictRule)).append('\n');
        return sb.toString();
    }

    /** Reads {@link #toText()}'s form back. */
    public static ExperimentSpec parse(String text) {
        String id = null, paper = "", verdict = "";
        List<String> arms = List.of(), metrics = List.of();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(": ");
            if (colon < 0) throw new IllegalArgumentException("ExperimentSpec: expected 'key: value', got '" + line + "'");
            String key = line.substring(0, colon), value = line.substring(colon + 2);
            switch (key) {
                case "id" -> id = value;
                case "paper" -> paper = value;
                case "arms" -> arms = split(value);
                case "metrics" -> metrics = split(value);
                case "verdict" -> verdict = value;
                default -> {
                    if (!key.startsWith("setting.")) throw new IllegalArgumentException("ExperimentSpec: unknown key '" + key + "'");
                    settings.put(key.substring("setting.".length()), value);
                }
            }
        }
        return new ExperimentSpec(id, paper, arms, settings, metrics, verdict);
    }

    /** SHA-256 of {@link #toText()} in UTF-8, hex: equal contents, equal hash, in any JVM. */
    public String contentHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toText().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (!v.isBlank()) for (String s : v.split(" \\| ")) out.add(s);
        return out;
    }

    private static String oneLine(String s) {
        if (s.contains("\n")) throw new IllegalArgumentException("ExperimentSpec: values are one line each, got '" + s + "'");
        return s;
    }
}
