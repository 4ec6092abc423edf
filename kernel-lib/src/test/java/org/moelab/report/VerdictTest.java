package org.moelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static Verdict.Builder slimmable(double k8, double dense) {
        return Verdict.claim("self-slimmable").measured("BPC(k=1)", 2.6).measured("BPC(k=2)", 2.5).measured("BPC(k=4)", 2.4)
                .measured("BPC(k=8)", k8).measured("BPC(dense)", dense)
                .decreasing("BPC(k=1)", "BPC(k=2)", "BPC(k=4)", "BPC(k=8)").within("BPC(k=8)", "BPC(dense)", 0.05);
    }

    @Test
    void conditionsWriteTheRuleAndDecideTheOutcome() {
        Verdict v = slimmable(2.38, 2.36).build();
        assertTrue(v.holds());
        assertEquals("BPC(k=1) > BPC(k=2) > BPC(k=4) > BPC(k=8) and |BPC(k=8) − BPC(dense)| ≤ 0.05", v.rule());
        assertEquals(List.of("BPC(k=1)", "BPC(k=2)", "BPC(k=4)", "BPC(k=8)", "BPC(dense)"), List.copyOf(v.measured().keySet()));
        assertFalse(slimmable(2.45, 2.36).build().holds(), "k=8 not below k=4");
        assertFalse(slimmable(2.38, 2.30).build().holds(), "too far from dense");
        assertFalse(slimmable(Double.NaN, 2.36).build().holds(), "NaN fails");
    }

    @Test
    void otherConditions() {
        Verdict v = Verdict.claim("c").measured("a", 1).measured("b", 2).atMost("a", 1).atLeast("b", 2.5).lessThan("a", "b").increasing("a", "b")
                .require("custom rule", true).build();
        assertFalse(v.holds());
        assertEquals("a ≤ 1 and b ≥ 2.5 and a < b and a < b and custom rule", v.rule());
    }

    @Test
    void compositeHoldsOnlyWhenEveryPartHoldsAndShowsEach() {
        Verdict good = slimmable(2.38, 2.36).build();
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("load cv", 0.4);
        Verdict bad = Verdict.of("balanced load", false, "load cv ≤ 0.2", numbers);
        Verdict all = Verdict.all("SMoE-Dropout claims", good, bad);
        assertFalse(all.holds());
        assertEquals(List.of(good, bad), all.parts());
        assertEquals("all 2 sub-claims hold", all.rule());
        assertTrue(Verdict.all("one", good).holds());
        String text = all.toString();
        assertTrue(text.startsWith("[DOES NOT HOLD] SMoE-Dropout claims\n  rule: all 2 sub-claims hold\n  [HOLDS] self-slimmable\n"), text);
        assertTrue(text.contains("    BPC(k=8)   = 2.380\n"), text);
        assertTrue(text.contains("  [DOES NOT HOLD] balanced load\n    rule: load cv ≤ 0.2\n    load cv = 0.4000\n"), text);
    }

    @Test
    void htmlHasBadgeRuleNumbersAndEscapes() {
        Verdict v = Verdict.claim("x < y & more").measured("x<1>", 0.5).atMost("x<1>", 1).build();
        String html = v.toHtml();
        assertTrue(html.contains("background:#1a7f37"), "green badge");
        assertTrue(html.contains(">HOLDS</span> <b>x &lt; y &amp; more</b>"), html);
        assertTrue(html.contains("rule: <code>x&lt;1&gt; ≤ 1</code>"), html);
        assertTrue(html.contains(">x&lt;1&gt;</td><td style=\"text-align:right;padding:1px 8px\">0.5000</td>"), html);
        String composite = Verdict.all("both", v, Verdict.of("no", false, "r", Map.of())).toHtml();
        assertTrue(composite.contains("background:#cf222e"), "red badge");
        assertEquals(3, composite.split("class=\"moelab-verdict\"", -1).length - 1, "the composite and both parts");
    }

    @Test
    void misuseIsReported() {
        assertEquals("Verdict: 'BPC(k=16)' is not measured; call measured(\"BPC(k=16)\", value) first (measured: [a])",
                assertThrows(IllegalArgumentException.class, () -> Verdict.claim("c").measured("a", 1).atMost("BPC(k=16)", 1)).getMessage());
        assertEquals("Verdict: add at least one condition (decreasing, within, require, ...) before build()",
                assertThrows(IllegalArgumentException.class, () -> Verdict.claim("c").measured("a", 1).build()).getMessage());
        assertEquals("Verdict.all: parts must not be empty", assertThrows(IllegalArgumentException.class, () -> Verdict.all("c", List.of())).getMessage());
        assertEquals("Verdict: 'a' is measured twice", assertThrows(IllegalArgumentException.class, () -> Verdict.claim("c").measured("a", 1).measured("a", 2)).getMessage());
    }
}
