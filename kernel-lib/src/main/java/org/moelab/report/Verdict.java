package org.moelab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.moelab.viz.HtmlRenderable;

/**
 * The result of checking a paper's claim against measured numbers: the claim, whether it holds, the rule applied (in
 * words a reader can check by hand) and the numbers that decided it. A composite ({@link #all}) holds when every
 * sub-claim holds and shows each one.
 *
 * <pre>{@code
 * Verdict v = Verdict.claim("SMoE-Dropout is self-slimmable: more experts, lower BPC, up to dense quality")
 *         .measured("BPC(k=1)", 2.61).measured("BPC(k=2)", 2.48).measured("BPC(k=4)", 2.41)
 *         .measured("BPC(k=8)", 2.38).measured("BPC(dense)", 2.36)
 *         .decreasing("BPC(k=1)", "BPC(k=2)", "BPC(k=4)", "BPC(k=8)")
 *         .within("BPC(k=8)", "BPC(dense)", 0.05)
 *         .build();
 * // rule: "BPC(k=1) > BPC(k=2) > BPC(k=4) > BPC(k=8) and |BPC(k=8) − BPC(dense)| ≤ 0.05"
 * }</pre>
 *
 * The builder's conditions both compute {@code holds} and write the rule, so the two cannot drift apart; a NaN
 * measurement fails every condition it takes part in. {@link #of} takes a precomputed outcome for rules the helpers
 * do not cover.
 */
public final class Verdict implements HtmlRenderable {
    private final String claim;
    private final boolean holds;
    private final String rule;
    private final Map<String, Double> measured;
    private final List<Verdict> parts;

    private Verdict(String claim, boolean holds, String rule, Map<String, Double> measured, List<Verdict> parts) {
        this.claim = claim;
        this.holds = holds;
        this.rule = rule;
        this.measured = measured;
        this.parts = parts;
    }

    public static Builder claim(String claim) {
        return new Builder(claim);
    }

    /** A verdict whose outcome was decided elsewhere; {@code measured} keeps its iteration order. */
    public static Verdict of(String claim, boolean holds, String rule, Map<String, Double> measured) {
        requireText("claim", claim);
        requireText("rule", rule);
        Objects.requireNonNull(measured, "measured");
        return new Verdict(claim, holds, rule, Collections.unmodifiableMap(new LinkedHashMap<>(measured)), List.of());
    }

    /** Holds when every part holds. */
    public static Verdict all(String claim, Verdict... parts) {
        return all(claim, List.of(Objects.requireNonNull(parts, "parts")));
    }

    public static Verdict all(String claim, List<Verdict> parts) {
        requireText("claim", claim);
        if (parts == null || parts.isEmpty()) throw new IllegalArgumentException("Verdict.all: parts must not be empty");
        boolean holds = parts.stream().allMatch(Verdict::holds);
        String rule = "all " + parts.size() + " sub-claims hold";
        return new Verdict(claim, holds, rule, Map.of(), List.copyOf(parts));
    }

    public String claim() {
        return claim;
    }

    public boolean holds() {
        return holds;
    }

    public String rule() {
        return rule;
    }

    /** Name → value, in the order they were recorded. */
    public Map<String, Double> measured() {
        return measured;
    }

    /** Sub-claims of a composite; empty for a simple verdict. */
    public List<Verdict> parts() {
        return parts;
    }

    @Override
    public String toHtml() {
        return VerdictRendering.html(this);
    }

    @Override
    public String toString() {
        return VerdictRendering.text(this, "");
    }

    private static void requireText(String parameter, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("Verdict: " + parameter + " must be non-blank text");
    }

    /** Measurements first, then conditions over them by name; {@link #build()} joins the conditions with "and". */
    public static final class Builder {
        private final String claim;
        private final Map<String, Double> measured = new LinkedHashMap<>();
        private final List<String> rules = new ArrayList<>();
        private boolean holds = true;

        private Builder(String claim) {
            requireText("claim", claim);
            this.claim = claim;
        }

        public Builder measured(String name, double value) {
            requireText("measured name", name);
            if (measured.containsKey(name)) throw new IllegalArgumentException("Verdict: '" + name + "' is measured twice");
            measured.put(name, value);
            return this;
        }

        /** Any condition: its text (shown in the rule) and its outcome. */
        public Builder require(String rule, boolean ok) {
            requireText("rule", rule);
            rules.add(rule);
            holds &= ok;
            return this;
        }

        /** names[0] > names[1] > ... (strictly). */
        public Builder decreasing(String... names) {
            return chain(" > ", names, (a, b) -> a > b);
        }

        /** names[0] < names[1] < ... (strictly). */
        public Builder increasing(String... names) {
            return chain(" < ", names, (a, b) -> a < b);
        }

        /** |a − b| ≤ tolerance. */
        public Builder within(String a, String b, double tolerance) {
            if (!(tolerance >= 0)) throw new IllegalArgumentException("Verdict: tolerance must be >= 0, got " + tolerance);
            return require("|" + a + " − " + b + "| ≤ " + number(tolerance), Math.abs(value(a) - value(b)) <= tolerance);
        }

        public Builder atMost(String name, double bound) {
            return require(name + " ≤ " + number(bound), value(name) <= bound);
        }

        public Builder atLeast(String name, double bound) {
            return require(name + " ≥ " + number(bound), value(name) >= bound);
        }

        /** a < b. */
        public Builder lessThan(String a, String b) {
            return require(a + " < " + b, value(a) < value(b));
        }

        public Verdict build() {
            if (rules.isEmpty()) throw new IllegalArgumentException("Verdict: add at least one condition (decreasing, within, require, ...) before build()");
            return new Verdict(claim, holds, String.join(" and ", rules), Collections.unmodifiableMap(new LinkedHashMap<>(measured)), List.of());
        }

        private Builder chain(String symbol, String[] names, java.util.function.BiPredicate<Double, Double> inOrder) {
            if (names == null || names.length < 2) throw new IllegalArgumentException("Verdict: an ordering needs at least two measured names");
            boolean ok = true;
            for (int i = 0; i + 1 < names.length; i++) ok &= inOrder.test(value(names[i]), value(names[i + 1]));
            return require(String.join(symbol, names), ok);
        }

        private double value(String name) {
            Double v = measured.get(name);
            if (v == null) throw new IllegalArgumentException("Verdict: '" + name + "' is not measured; call measured(\"" + name + "\", value) first (measured: " + measured.keySet() + ")");
            return v;
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%d", (long) v) : CellFormat.number(v).replaceAll("0+$", "");
        }
    }
}
