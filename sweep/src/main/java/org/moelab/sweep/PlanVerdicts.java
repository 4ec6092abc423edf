package org.moelab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.moelab.report.ResultsTable;

/**
 * The pre-registered verdict rules of each paper's second round ({@link PlanRule}), evaluated on a sweep's points:
 * differences paired by seed (a seed fixes the data order and the shared initial weights, so pairing removes the
 * seed's share of the noise), 95% t-intervals over the n pairs. The rules are the ones the paper's page fixed before
 * its runs; this class is their executable copy and the page links here.
 */
public final class PlanVerdicts {
    private PlanVerdicts() {}

    /** The rules of {@code paper}'s plan (empty for a paper without one). */
    public static List<PlanRule> rules(String paper) {
        return switch (paper) {
            case "evomoe" -> evoMoe();
            case "smoe-dropout" -> smoeDropout();
            case "promoe" -> proMoe();
            case "mom" -> mom();
            case "lora-mixer" -> loraMixer();
            default -> List.of();
        };
    }

    /** papers/evomoe.md, "Plan — second round". */
    private static List<PlanRule> evoMoe() {
        List<PlanRule> rules = new ArrayList<>(List.of(
                new PlanRule("1", "same quality in half the steps: EvoMoE at N/2 vs Switch at N", "EVOMOE", "val loss at N/2", "SWITCH", "val loss",
                        PlanRule.atMost(0, 0)),
                new PlanRule("2", "better final quality than Switch", "EVOMOE", "val loss", "SWITCH", "val loss", PlanRule.sign("better", "worse")),
                new PlanRule("3", "lottery-free check: rule 2 on the counter/Markov/Dyck mean", "EVOMOE", "loss without copy", "SWITCH", "loss without copy",
                        PlanRule.sign("better", "worse"))));
        for (String ablation : List.of("RANDOM_DTS", "DIVERSIFY_SWITCH", "COPY_DTS")) {
            rules.add(new PlanRule("ablation", ablation + " against EvoMoE (final loss)", ablation, "val loss", "EVOMOE", "val loss", PlanRule.reported()));
        }
        return rules;
    }

    /** papers/smoe-dropout.md, "Plan — second round" (rule 4 compares two sweeps of different lengths: on the page). */
    private static List<PlanRule> smoeDropout() {
        List<PlanRule> rules = new ArrayList<>();
        for (String arm : List.of(RELEASED_SCHEDULE, "SMOE_DROPOUT")) {
            for (int k : new int[] {1, 2, 4}) {
                rules.add(new PlanRule("1", arm + " self-slimming: BPC(k=" + k + ") − BPC(k=" + 2 * k + ") > 0", arm, bpc(k), arm, bpc(2 * k),
                        PlanRule.above(0, 0, "not shown")));
            }
        }
        for (String arm : List.of(RELEASED_SCHEDULE, "SMOE_DROPOUT")) {
            rules.add(new PlanRule("2", arm + " reaches dense quality at k = N (non-inferiority margin +0.02 BPC)" + (arm.equals(RELEASED_SCHEDULE) ? ", primary" : ", secondary"),
                    arm, bpc(8), "DENSE", DENSE_BPC, PlanRule.atMost(0.02, 0)));
        }
        rules.add(new PlanRule("3", "a learned router does not gain past its training k", "LEARNED", bpc(4), "LEARNED", bpc(2),
                PlanRule.above(-0.01, -0.01, PlanRule.UNDECIDED)));
        return rules;
    }

    /** MoM with the router on a short convolution (ours; papers/mom.md, "Second round — pilot"), as a variant arm. */
    public static final String MOM_SHORT_CONV_ROUTER = "MOM@routerInput=SHORT_CONV";
    /** The metric MoM's rules read: query accuracy at the hardest number of pairs. */
    public static final String MOM_METRIC = "acc P=16";

    /** papers/mom.md, "Plan — second round" (issue-13 regime). */
    private static List<PlanRule> mom() {
        String acc = MOM_METRIC;
        List<PlanRule> rules = new ArrayList<>();
        for (String mom : List.of("MOM", MOM_SHORT_CONV_ROUTER)) {
            String router = mom.equals("MOM") ? "paper's router" : "short-conv router";
            rules.add(new PlanRule("1", "MoM (" + router + ") against one memory at equal activated state (GDN d_v × 3)", mom, acc, "GDN_EXPANDED", acc,
                    PlanRule.sign("worse", "better")));
        }
        for (String mom : List.of("MOM", MOM_SHORT_CONV_ROUTER)) {
            String router = mom.equals("MOM") ? "paper's router" : "short-conv router";
            rules.add(new PlanRule("2", "MoM (" + router + ") against its own memory type (GDN)", mom, acc, "GATED_DELTANET", acc, PlanRule.sign("worse", "better")));
        }
        rules.add(new PlanRule("3", "the router that sees the key: short-conv router against the paper's", MOM_SHORT_CONV_ROUTER, acc, "MOM", acc,
                PlanRule.sign("worse", "better")));
        rules.add(new PlanRule("4", "the substrate: GDN against linear attention", "GATED_DELTANET", acc, "LINEAR_ATTENTION", acc, PlanRule.reported()));
        for (String mom : List.of("MOM", MOM_SHORT_CONV_ROUTER)) {
            rules.add(new PlanRule("4", "oracle routing against " + mom, "MOM_ORACLE", acc, mom, acc, PlanRule.reported()));
        }
        return rules;
    }

    /** LoRA-Mixer's arms with the adapters on the attention projections (the paper's placement): variants of the FFN-placed plan. */
    public static final String ATTENTION_PLACED = "@placement=ATTENTION";
    /** The metric LoRA-Mixer's rules read at the largest router data size (routed arms have one row per N; the others one row). */
    static final String MACRO_EM = "macro EM", MACRO_EM_ROUTED = "macro EM [router N=1200]", MACRO_EM_SMALL_N = "macro EM [router N=48]";

    /** papers/lora-mixer.md, "Plan — second round" (adapters on the feed-forward layers; the attention placement as variants). */
    private static List<PlanRule> loraMixer() {
        String sblAttention = "SBL" + ATTENTION_PLACED;
        List<PlanRule> rules = new ArrayList<>(List.of(
                new PlanRule("1", "LoRA-Mixer (SBL) against the multi-task LoRA of parameter-matched rank (primary)", "SBL", MACRO_EM_ROUTED,
                        "MULTI_TASK_LORA_MATCHED", MACRO_EM, PlanRule.sign("worse", "better")),
                new PlanRule("2", "LoRA-Mixer (SBL) against the multi-task LoRA of equal rank", "SBL", MACRO_EM_ROUTED, "MULTI_TASK_LORA", MACRO_EM,
                        PlanRule.sign("worse", "better")),
                new PlanRule("3", "the specialisation loss with little router data (N = 48): SBL against the aux loss alone", "SBL", MACRO_EM_SMALL_N,
                        "AUX_ONLY", MACRO_EM_SMALL_N, PlanRule.sign("worse", "better")),
                new PlanRule("3", "the same at N = 1200", "SBL", MACRO_EM_ROUTED, "AUX_ONLY", MACRO_EM_ROUTED, PlanRule.reported()),
                new PlanRule("4", "Eq. 5's sign: as printed (−λH) against ours (+λH)", "PRINTED_SIGN", MACRO_EM, "SBL", MACRO_EM_ROUTED,
                        PlanRule.sign("worse", "better")),
                new PlanRule("4", "Eq. 5's sign with attention placement", "PRINTED_SIGN" + ATTENTION_PLACED, MACRO_EM, sblAttention, MACRO_EM_ROUTED,
                        PlanRule.sign("worse", "better")),
                new PlanRule("5", "placement: LoRA-Mixer (SBL) on the feed-forward layers against on attention", "SBL", MACRO_EM_ROUTED, sblAttention, MACRO_EM_ROUTED,
                        PlanRule.sign("worse", "better")),
                new PlanRule("5", "LoRA-Mixer (SBL) with attention placement against the multi-task LoRA there (parameter-matched)", sblAttention, MACRO_EM_ROUTED,
                        "MULTI_TASK_LORA_MATCHED" + ATTENTION_PLACED, MACRO_EM, PlanRule.sign("worse", "better")),
                new PlanRule("6", "the router's gap: oracle routing against SBL (feed-forward)", "ORACLE_ROUTING", MACRO_EM, "SBL", MACRO_EM_ROUTED, PlanRule.reported()),
                new PlanRule("6", "the router's gap: oracle routing against SBL (attention)", "ORACLE_ROUTING" + ATTENTION_PLACED, MACRO_EM, sblAttention, MACRO_EM_ROUTED,
                        PlanRule.reported()),
                new PlanRule("6", "the precondition: oracle routing against the multi-task LoRA of equal rank (feed-forward)", "ORACLE_ROUTING", MACRO_EM,
                        "MULTI_TASK_LORA", MACRO_EM, PlanRule.reported()),
                new PlanRule("6", "the experts' placement under oracle routing", "ORACLE_ROUTING", MACRO_EM, "ORACLE_ROUTING" + ATTENTION_PLACED, MACRO_EM,
                        PlanRule.reported())));
        return rules;
    }

    /** papers/promoe.md, "Plan — second round" (Textures-10). */
    private static List<PlanRule> proMoe() {
        String mi = "MI fg (mean over layers)";
        List<PlanRule> rules = new ArrayList<>(List.of(
                new PlanRule("1", "specialisation: ProMoE's foreground MI(class; expert) above token choice's", "PROMOE", mi, "TOKEN_CHOICE", mi,
                        PlanRule.above(0, 0, "not shown")),
                new PlanRule("2", "ProMoE's foreground MI above its permutation chance level", "PROMOE", mi, "PROMOE", "MI fg chance (mean over layers)",
                        PlanRule.above(0, 0, "not shown")),
                new PlanRule("2", "token choice's foreground MI above its permutation chance level", "TOKEN_CHOICE", mi, "TOKEN_CHOICE",
                        "MI fg chance (mean over layers)", PlanRule.above(0, 0, "not shown"))));
        for (String fd : List.of("FD (CFG 1.0)", "FD (CFG 2.0)")) {
            rules.add(new PlanRule("3", "ProMoE generates better than token choice, " + fd, "PROMOE", fd, "TOKEN_CHOICE", fd, PlanRule.sign("better", "worse")));
            rules.add(new PlanRule("4", "ProMoE generates better than the dense DiT, " + fd, "PROMOE", fd, "DENSE", fd, PlanRule.sign("better", "worse")));
        }
        List<String> ladder = List.of("DENSE", "PROTOTYPICAL", "PROTOTYPICAL_RCL", "PROMOE");
        for (String fd : List.of("FD (CFG 1.0)", "FD (CFG 2.0)")) {
            for (int i = 1; i < ladder.size(); i++) {
                rules.add(new PlanRule("5", "Table 7 ladder: " + ladder.get(i) + " against " + ladder.get(i - 1) + ", " + fd, ladder.get(i), fd, ladder.get(i - 1), fd,
                        PlanRule.reported()));
            }
            rules.add(new PlanRule("5", "expert choice against token choice, " + fd, "EXPERT_CHOICE", fd, "TOKEN_CHOICE", fd, PlanRule.reported()));
        }
        return rules;
    }

    /** SMoE-Dropout with the released scripts' schedule, k from N/2 = 4 to 8: a variant arm of the sweep. */
    public static final String RELEASED_SCHEDULE = "SMOE_DROPOUT@kMin=4";
    /** The dense arm has one BPC (one row in the runs table, so no {@code [k=…]} suffix). */
    static final String DENSE_BPC = "valid BPC";

    private static String bpc(int k) {
        return "valid BPC [k=" + k + "]";
    }

    /**
     * One row per rule and configuration whose arms and metrics the sweep has: n pairs, mean and sd of the paired
     * differences, the 95% t-interval, the rule in words and its verdict. With {@code tunedPerArm} the arms sit at
     * their own chosen values and are paired across configurations.
     */
    public static ResultsTable of(String paper, List<PointResult> points, boolean tunedPerArm) {
        Map<String, List<PointResult>> groups = new LinkedHashMap<>();
        for (PointResult r : points) groups.computeIfAbsent(tunedPerArm ? "tuned per arm" : r.point().configuration(), k -> new ArrayList<>()).add(r);
        ResultsTable.Builder b = ResultsTable.builder("rule", "claim", "configuration", "difference", "n pairs", "mean", "sd", "95% CI low", "95% CI high",
                "decision rule", "verdict");
        for (PlanRule rule : rules(paper)) {
            groups.forEach((configuration, group) -> {
                double[] d = pairedDifferences(group, rule);
                if (d.length == 0) return;
                String difference = rule.arm() + " " + rule.metric() + " − " + rule.baseline() + " " + rule.baselineMetric();
                if (d.length < 2) {
                    b.row(rule.id(), rule.claim(), configuration, difference, d.length, Stats.mean(d), null, null, null, rule.decision().text(), "too few pairs");
                    return;
                }
                double mean = Stats.mean(d), half = Stats.ci95HalfWidth(d);
                b.row(rule.id(), rule.claim(), configuration, difference, d.length, mean, Stats.sd(d), mean - half, mean + half, rule.decision().text(),
                        rule.decision().decide(mean - half, mean + half));
            });
        }
        return b.caption("Pre-registered verdicts of the " + paper + " plan (paired by seed, 95% t-intervals)").build();
    }

    /** {@code metric(arm) − baselineMetric(baseline)} for every seed both have (succeeded, metric present), in seed order of the arm. */
    static double[] pairedDifferences(List<PointResult> group, PlanRule rule) {
        Map<Long, Double> baseline = new LinkedHashMap<>();
        for (PointResult r : group) {
            if (r.succeeded() && r.point().arm().equals(rule.baseline()) && r.metrics().containsKey(rule.baselineMetric())) {
                baseline.put(r.point().seed(), r.metrics().get(rule.baselineMetric()));
            }
        }
        List<Double> out = new ArrayList<>();
        for (PointResult r : group) {
            Double base = baseline.get(r.point().seed());
            if (base != null && r.succeeded() && r.point().arm().equals(rule.arm()) && r.metrics().containsKey(rule.metric())) {
                out.add(r.metrics().get(rule.metric()) - base);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
