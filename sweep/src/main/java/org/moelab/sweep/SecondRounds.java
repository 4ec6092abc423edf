package org.moelab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second-round sweeps exactly as the papers' pages pre-registered them ("Plan — second round" in
 * {@code papers/<paper>.md}): the arguments of the {@code ./moelab sweep} command whose points the page's
 * second-round tables and {@link PlanVerdicts} summarise. {@code %moe reproduce <paper> --full} runs this sweep, so
 * the notebook reproduces the page through the same engine, and a rerun reads the stored points back. A test checks
 * that each page carries the same command, so the page and the code cannot drift apart.
 */
public final class SecondRounds {
    private static final Map<String, List<String>> ARGUMENTS = Map.of(
            "evomoe", List.of("--preset", "full", "--seeds", "1..5", "--tune", "lr=1e-3,3e-3,1e-2", "--tune-seeds", "1001",
                    "--metric", "val loss", "--goal", "min", "--set", "steps=3000"),
            "promoe", List.of("--preset", "full", "--seeds", "1..5", "--arms", "DENSE,TOKEN_CHOICE,EXPERT_CHOICE,PROTOTYPICAL,PROTOTYPICAL_RCL,PROMOE",
                    "--tune", "lr=5e-4,1e-3,2e-3,4e-3,8e-3,1.6e-2,3.2e-2", "--tune-seeds", "1001", "--metric", "FD (CFG 1.0)", "--goal", "min", "--set", "dataset=TEXTURES10",
                    "--set", "steps=3000"),
            "mom", List.of("--preset", "full", "--seeds", "1..5", "--arms",
                    "LINEAR_ATTENTION,GATED_DELTANET,GDN_EXPANDED,MOM," + PlanVerdicts.MOM_SHORT_CONV_ROUTER + ",MOM_ORACLE",
                    "--tune", "learningRate=5e-4,1e-3,2e-3,4e-3,8e-3,1.6e-2,3.2e-2", "--tune-seeds", "1001", "--metric", PlanVerdicts.MOM_METRIC, "--goal", "max",
                    "--set", "vocab=256", "--set", "length=64", "--set", "trainPairs=4,8,16", "--set", "testPairs=4,8,16", "--set", "heads=4",
                    "--set", "headDim=16", "--set", "steps=1500", "--set", "evalRows=256"),
            "lora-mixer", List.of("--preset", "full", "--seeds", "11..15", "--arms",
                    "MULTI_TASK_LORA,MULTI_TASK_LORA_MATCHED,ORACLE_ROUTING,SBL,AUX_ONLY,PRINTED_SIGN,MULTI_TASK_LORA_MATCHED@placement=ATTENTION,"
                            + "ORACLE_ROUTING@placement=ATTENTION,SBL@placement=ATTENTION,PRINTED_SIGN@placement=ATTENTION",
                    "--tune", "stage1LearningRate=1e-3,3e-3,1e-2,3e-2", "--tune", "routerLearningRate=1e-2,3e-2,1e-1,3e-1", "--tune-seeds", "1001",
                    "--metric", "macro EM( \\[router N=1200\\])?", "--goal", "max", "--set", "placement=FEED_FORWARD"),
            "smoe-dropout", List.of("--preset", "full", "--seeds", "1..5", "--arms", "DENSE,LEARNED,SMOE_DROPOUT,FROZEN_FIXED_K," + PlanVerdicts.RELEASED_SCHEDULE,
                    "--tune", "lr=1e-3,2e-3,4e-3,8e-3,1.6e-2,3.2e-2", "--tune-seeds", "1001", "--metric", "valid BPC( \\[k=.*\\])?", "--goal", "min", "--set", "steps=3000"));

    private SecondRounds() {}

    /** The papers with a pre-registered second-round sweep. */
    public static List<String> papers() {
        return ARGUMENTS.keySet().stream().sorted().toList();
    }

    /** {@code paper}'s second-round sweep, with the {@code extra} options appended (e.g. {@code --master URL}); empty without one. */
    public static Optional<SweepPlan> plan(String paper, List<String> extra) {
        List<String> options = ARGUMENTS.get(paper);
        if (options == null) return Optional.empty();
        List<String> args = new ArrayList<>(List.of(paper));
        args.addAll(options);
        args.addAll(extra);
        return Optional.of(SweepPlan.parse(args));
    }

    /** The shell command as the page writes it ({@code ./moelab sweep ...}, arguments with spaces in double quotes). */
    public static Optional<String> command(String paper) {
        List<String> options = ARGUMENTS.get(paper);
        if (options == null) return Optional.empty();
        StringBuilder s = new StringBuilder("./moelab sweep ").append(paper);
        for (String a : options) s.append(' ').append(a.contains(" ") ? '"' + a + '"' : a);
        return Optional.of(s.toString());
    }
}
