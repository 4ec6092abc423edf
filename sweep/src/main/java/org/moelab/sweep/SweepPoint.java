package org.moelab.sweep;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.moelab.experiments.ExperimentSpec;

/**
 * One point of a sweep: an experiment (its spec's text form), one arm, one seed and the settings this point overrides
 * (a grid value, a tuned value). Plain serialisable data, so a Spark task on any machine can train it;
 * {@link #spec()} is the experiment restricted to this arm and seed, and {@link #hash} names the point's result.
 */
public record SweepPoint(String baseSpec, String arm, long seed, Map<String, String> overrides) implements Serializable {
    /** The settings a point restricts: which seeds and which arms the experiment trains. */
    public static final String SEEDS = ExperimentSpec.SEEDS, ARMS = ExperimentSpec.ARMS;

    public SweepPoint {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /**
     * The experiment this point trains: the base spec with the overrides and the arm's own settings (a variant arm,
     * see {@link #armName}), this seed only and this arm only.
     */
    public ExperimentSpec spec() {
        ExperimentSpec s = ExperimentSpec.parse(baseSpec);
        for (Map.Entry<String, String> o : overrides.entrySet()) s = s.with(o.getKey(), o.getValue());
        for (Map.Entry<String, String> o : armSettings(arm).entrySet()) s = s.with(o.getKey(), o.getValue());
        s = s.with(SEEDS, Long.toString(seed));
        return s.with(ARMS, armName(arm));
    }

    /**
     * An arm label is an arm of the experiment, or a <em>variant</em> of one: {@code ARM@key=value+key=value} trains
     * ARM with those settings changed, under its own name in every table (SMoE-Dropout's released k schedule is
     * {@code SMOE_DROPOUT@kMin=4} beside {@code SMOE_DROPOUT}). This is the arm's name before the {@code @}.
     */
    public static String armName(String label) {
        int at = label.indexOf('@');
        return at < 0 ? label : label.substring(0, at);
    }

    /** The settings a variant arm label changes, in order (empty for a plain arm). */
    public static Map<String, String> armSettings(String label) {
        int at = label.indexOf('@');
        Map<String, String> out = new LinkedHashMap<>();
        if (at < 0) return out;
        for (String kv : label.substring(at + 1).split("\\+")) {
            int eq = kv.indexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) throw new IllegalArgumentException("--arms " + label + ": a variant is ARM@key=value[+key=value], got '" + kv + "'");
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    /** The overrides as {@code key=value, ...}, or {@code default} when there are none: a table's configuration. */
    public String configuration() {
        if (overrides.isEmpty()) return "default";
        StringJoiner j = new StringJoiner(", ");
        overrides.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /**
     * SHA-256 of the point's spec text plus the code version: equal points of equal code share one stored result;
     * a new code version ({@link org.moelab.lab.LabEnvironment#codeFingerprint}: a hash of kernel-lib's class files)
     * computes afresh.
     */
    public String hash(String codeVersion) {
        String text = "code: " + codeVersion + "\n" + spec().toText();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return arm + " · " + configuration() + " · seed " + seed;
    }
}
