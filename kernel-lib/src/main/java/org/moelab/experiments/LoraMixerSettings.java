package org.moelab.experiments;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.moelab.data.SeqTasks;
import org.moelab.experiments.LoraMixerExperiment.Arm;
import org.moelab.lab.Preset;
import org.moelab.models.LoraMixer;

/**
 * Sizes of the LoRA-Mixer study (plan §2.4 of the notes): tasks REV, SORT, INC, CIPHER on the shipped COPY base;
 * stage 1 trains one LoRA per task on Q, K, V, O of both layers; stage 2 trains one router per layer on N mixed
 * examples, disjoint from stage 1's. Rank 16 (α = 32) rather than the plan's 4: a per-digit relabelling such as INC
 * needs about rank 10 in the value/output path, and at r = 4 or 8 no arm learnt INC or CIPHER at all (measured;
 * papers/lora-mixer.md). The parameter-matched multi-task LoRA has rank min(E·r, d) = 48. {@link #quick()} is what the tests and the notebook
 * run on two cores; {@link #full()} is what papers/lora-mixer.md reports (3 seeds, every ablation arm).
 *
 * <p>{@code arms} selects what a run trains (a sweep point trains one arm of one seed). Each preset lists every arm it
 * has always trained, so its report is what it was before arms could be chosen.
 */
public record LoraMixerSettings(
        @Option(description = "tasks, one stage-1 LoRA expert each (expert e learns task e)", range = "2 or more of COPY | REV | SORT | INC | CIPHER | DEDUP | SUM") List<SeqTasks.Task> tasks,
        @Option(description = "labelled examples per task in stage 1's pool (multi-task LoRA trains on their union)", range = "1..") int stage1Examples,
        @Option(description = "training steps of stage 1 (each expert set, each multi-task LoRA)", range = "1..100000") int stage1Steps,
        @Option(description = "examples per batch (capped at the pool's size)", range = "1..256") int batch,
        @Option(description = "peak AdamW learning rate of stage 1 (cosine decay to 10%)", range = "(0, 1]") float stage1LearningRate,
        @Option(description = "r, the rank of each LoRA expert", range = "1..48 (the model width)") int rank,
        @Option(description = "LoRA α (updates scaled by α/r)", range = "> 0") float alpha,
        @Option(description = "N, the router data sizes of the data-efficiency sweep (mixed tasks); arms without a sweep use the largest", range = "1.., ascending") List<Integer> routerSizes,
        @Option(description = "training steps of each stage-2 router", range = "1..100000") int routerSteps,
        @Option(description = "peak AdamW learning rate of stage 2", range = "(0, 1]") float routerLearningRate,
        @Option(description = "α_b, the load-balancing weight of the router loss (times E)", range = ">= 0") float balanceWeight,
        @Option(description = "λ, the entropy weight of SBL", range = ">= 0") float entropyWeight,
        @Option(description = "k, experts kept per token at inference", range = "1..experts") int topK,
        @Option(description = "held-out test examples per task", range = "1..") int testPerTask,
        @Option(description = "seeds, each training every selected arm (and stage 1 when an arm reads its experts)", range = "any integers") List<Long> seeds,
        @Option(description = "whether the LoRAHub-like global weights are trained at every router N, not only at the largest", range = "true | false")
        boolean globalWeightsAtEveryN,
        @Option(description = "what the stage-2 routers read", range = "TOKEN | CAUSAL_MEAN") LoraMixer.RouterInput routerInput,
        @Option(description = "where every arm's LoRA adapters sit: the attention projections Q, K, V, O (the paper's) or the feed-forward"
                + " layers' two projections (the FFN_PLACEMENT arm always trains its own feed-forward experts)", range = "ATTENTION | FEED_FORWARD")
        LoraMixer.Placement placement,
        @Option(description = "arms trained, always in the study's order (each arm's numbers depend only on its seed, not on the others)",
                range = "BASE | MULTI_TASK_LORA | MULTI_TASK_LORA_MATCHED | ORACLE_ROUTING | UNIFORM_MERGE | SBL | AUX_ONLY | SOFT_AND_OTHER_TOP_K"
                        + " | LORAHUB_GLOBAL | PRINTED_SIGN | FFN_PLACEMENT | NO_ROUTER_LOSS | STRAIGHT_THROUGH | JOINT | TOKEN_ROUTER_INPUT")
        List<Arm> arms) {

    /** Rejects an empty or repeated arm selection, naming the setting and the arms allowed. */
    public LoraMixerSettings {
        if (arms.isEmpty() || new HashSet<>(arms).size() != arms.size()) {
            throw new IllegalArgumentException("LoraMixerSettings: setting arms = " + arms + " must name each arm at most once and at least one of "
                    + Arrays.toString(Arm.values()));
        }
        arms = List.copyOf(arms);
    }

    private static final List<SeqTasks.Task> TASKS = List.of(SeqTasks.Task.REV, SeqTasks.Task.SORT, SeqTasks.Task.INC, SeqTasks.Task.CIPHER);

    public static LoraMixerSettings quick() {
        return new LoraMixerSettings(TASKS, 2000, 1000, 32, 3e-3f, 16, 32f, List.of(48, 300, 1200), 200, 3e-2f, 0.01f, 0.05f, 2, 50, List.of(1L), false,
                LoraMixer.RouterInput.CAUSAL_MEAN, LoraMixer.Placement.ATTENTION, LoraMixerExperiment.ARMS_OF_EVERY_PRESET);
    }

    public static LoraMixerSettings full() {
        return new LoraMixerSettings(TASKS, 2000, 2000, 32, 3e-3f, 16, 32f, List.of(48, 120, 300, 600, 1200), 400, 3e-2f, 0.01f, 0.05f, 2, 200,
                List.of(1L, 2L, 3L), true, LoraMixer.RouterInput.CAUSAL_MEAN, LoraMixer.Placement.ATTENTION, List.of(Arm.values()));
    }

    public static LoraMixerSettings of(Preset preset) {
        return preset.isQuick() ? quick() : full();
    }

    public int experts() {
        return tasks.size();
    }

    /** The smallest router data size (where the SBL-vs-aux claim is checked). */
    public int smallestN() {
        return routerSizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    /** The largest router data size (where the arms of the main table are compared). */
    public int largestN() {
        return routerSizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
