package org.moelab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.moelab.lab.Interrupts;
import org.moelab.nn.Module;
import org.moelab.train.AdamW;
import org.moelab.train.BatchSource;
import org.moelab.train.LearningRateSchedule;
import org.moelab.train.Objective;
import org.moelab.train.Optimizer;
import org.moelab.train.Run;
import org.moelab.train.Trainer;

/**
 * The one loop every paper's experiment runs: for each seed, for each arm, train and measure — in a fixed order,
 * stopping cleanly (keeping what finished) when the user interrupts — plus the optimisation recipe the experiments
 * share (AdamW, warm-up + cosine decay, clipping by global norm). The experiment supplies only what is its own: how
 * one arm is built, trained and measured.
 */
public final class ExperimentRunner {
    /** What one arm × seed produced: the arm, the seed, its training run; the rest of the record is its metrics. */
    public interface ArmRun<A> {
        A arm();

        long seed();

        Run run();

        /** The trained model (for inspection and further work; null where a test built the result by hand). */
        Object model();
    }

    private ExperimentRunner() {}

    /** The runs of the first seed in {@code results} (charts that draw one run per arm show these). */
    public static <R extends ArmRun<?>> List<R> firstSeed(List<R> results) {
        if (results.isEmpty()) return List.of();
        long seed = results.get(0).seed();
        return results.stream().filter(r -> r.seed() == seed).toList();
    }

    /** Every arm for every seed (seeds outer, arms inner), stopping before the next arm on an interrupt. */
    public static <A, R> List<R> seedsTimesArms(List<Long> seeds, List<A> arms, BiFunction<A, Long, R> runArm) {
        List<R> results = new ArrayList<>();
        for (long seed : seeds) {
            for (A arm : arms) {
                if (Interrupts.requested()) return results;
                results.add(runArm.apply(arm, seed));
            }
        }
        return results;
    }

    /** A per-seed experiment (whose arms share work within a seed): runs seeds in order until one reports an interrupt. */
    public static void perSeed(List<Long> seeds, java.util.function.LongPredicate runSeed) {
        for (long seed : seeds) if (!runSeed.test(seed)) return;
    }

    /**
     * The shared recipe: AdamW with this learning rate and weight decay, a linear warm-up over {@code warmup} steps
     * then cosine decay to {@code finalLearningRate} (no schedule when warmup &lt; 0: a constant rate), and gradients
     * clipped to a global norm of {@code clipNorm} (0 = none).
     */
    public record Recipe(float learningRate, float weightDecay, int warmup, float finalLearningRate, float clipNorm) {
        /** Warm-up + cosine to {@code finalLearningRate}. */
        public static Recipe cosine(float learningRate, float weightDecay, int warmup, float finalLearningRate, float clipNorm) {
            return new Recipe(learningRate, weightDecay, warmup, finalLearningRate, clipNorm);
        }

        /** A constant learning rate. */
        public static Recipe constant(float learningRate, float weightDecay, float clipNorm) {
            return new Recipe(learningRate, weightDecay, -1, learningRate, clipNorm);
        }

        public AdamW optimizer(Module module) {
            return AdamW.builder(module).learningRate(learningRate).weightDecay(weightDecay).build();
        }

        /** A trainer for one arm with this recipe and {@code optimizer} (from {@link #optimizer}). */
        public <B> Trainer.Builder<B> trainer(Module module, Optimizer optimizer, BatchSource<B> batches, Objective<B> objective,
                                              int steps, long seed, String label) {
            Trainer.Builder<B> b = Trainer.builder(module, batches, objective).label(label).steps(steps).seed(seed).optimizer(optimizer);
            if (warmup >= 0) b.schedule(LearningRateSchedule.cosine(learningRate, warmup, steps, finalLearningRate));
            if (clipNorm > 0) b.clipNorm(clipNorm);
            return b;
        }
    }
}
