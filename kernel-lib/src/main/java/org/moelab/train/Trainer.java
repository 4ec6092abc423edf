package org.moelab.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.moelab.lab.Interrupts;
import org.moelab.lab.LiveDisplay;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The training loop every experiment uses: batch → objective → backward → clip → optimizer step, with a
 * learning-rate schedule, per-step hooks (k or temperature schedules), periodic evaluation, a live progress display,
 * checkpoints, and three safety nets:
 * <ul>
 *   <li>NaN/Inf guard: a non-finite loss or gradient stops the run and restores the last parameters that gave a
 *       finite loss ({@link RunStatus#DIVERGED});</li>
 *   <li>interrupt: Jupyter's interrupt button (through {@link Interrupts}) stops between steps and keeps what was
 *       trained ({@link RunStatus#INTERRUPTED});</li>
 *   <li>exceptions in the objective or hooks leave the parameters of the last completed step and surface as
 *       {@link TrainingFailedException} carrying the partial run.</li>
 * </ul>
 */
public final class Trainer<B> {
    private final Builder<B> config;
    private final List<Tensor> parameters;
    private final float[][] lastGood;

    private Trainer(Builder<B> config) {
        this.config = config;
        this.parameters = config.module.parameters();
        this.lastGood = new float[parameters.size()][];
        for (int i = 0; i < lastGood.length; i++) lastGood[i] = new float[parameters.get(i).numel()];
    }

    public static <B> Builder<B> builder(Module module, BatchSource<B> batches, Objective<B> objective) {
        return new Builder<>(module, batches, objective);
    }

    /** Runs the configured steps (from {@link Builder#startStep} on) and returns how it went. */
    public Run fit() {
        Builder<B> c = config;
        History history = new History();
        LiveDisplay.Handle display = c.progress ? LiveDisplay.current().show(progress(c.startStep, Double.NaN, 0, 0, history, "starting")) : null;
        long start = System.nanoTime();
        long lastDisplay = 0;
        long step = c.startStep;
        RunStatus status = RunStatus.COMPLETED;
        String message = null;
        c.module.train();
        try {
            for (; step < c.steps; step++) {
                if (Interrupts.requested()) {
                    status = RunStatus.INTERRUPTED;
                    message = "interrupted by the user before step " + step + "; the model keeps what it learned so far";
                    break;
                }
                long stepStart = System.nanoTime();
                StepContext ctx = new StepContext(step, c.steps, new Rng(c.seed).fork("step-" + step));
                for (LongConsumer hook : c.hooks) hook.accept(step);
                float lr = c.schedule == null ? c.optimizer.learningRate() : c.schedule.applyTo(c.optimizer, step);
                B batch = c.batches.batch(step);
                c.optimizer.zeroGrad();
                Tensor loss = c.objective.loss(batch, ctx);
                double lossValue = loss.item();
                if (!Double.isFinite(lossValue)) {
                    restoreLastGood();
                    status = RunStatus.DIVERGED;
                    message = "the loss became " + lossValue + " at step " + step + "; restored the parameters of the last finite loss (lower the learning rate or clip harder)";
                    break;
                }
                loss.backward();
                float gradNorm = c.clipNorm > 0 ? GradClipping.clipGlobalNorm(parameters, c.clipNorm) : GradClipping.clipGlobalNorm(parameters, Float.MAX_VALUE);
                if (!Float.isFinite(gradNorm)) {
                    status = RunStatus.DIVERGED;
                    message = "the gradient norm became " + gradNorm + " at step " + step + "; the update was skipped and training stopped";
                    break;
                }
                saveLastGood();
                c.optimizer.step();
                double seconds = (System.nanoTime() - stepStart) / 1e9;
                int tokens = c.tokensPerBatch == null ? 0 : c.tokensPerBatch.applyAsInt(batch);
                history.add(new History.Step(step, lossValue, lr, gradNorm, (System.nanoTime() - start) / 1e9, seconds > 0 ? tokens / seconds : 0));
                boolean last = step + 1 == c.steps;
                if (c.evaluation != null && c.evalEvery > 0 && ((step + 1) % c.evalEvery == 0 || last)) evaluate(step + 1, history, start);
                if (c.checkpointPath != null && c.checkpointEvery > 0 && ((step + 1) % c.checkpointEvery == 0 || last)) {
                    Checkpoint.of(step + 1, c.config, new Rng(c.seed), c.module, c.optimizer).save(c.checkpointPath);
                }
                long now = System.nanoTime();
                if (display != null && now - lastDisplay > 250_000_000L) {
                    lastDisplay = now;
                    display.update(progress(step + 1, history.recentLoss(20), lr, (now - start) / 1e9, history, null));
                }
            }
        } catch (RuntimeException e) {
            c.module.train();
            Run partial = new Run(c.label, RunStatus.FAILED, "failed at step " + step, step - c.startStep, (System.nanoTime() - start) / 1e9, history);
            if (display != null) display.finish(progress(step, history.recentLoss(20), 0, partial.wallSeconds(), history, "failed: " + e.getMessage()));
            throw new TrainingFailedException(c.label + ": training stopped at step " + step + " (" + e.getMessage()
                    + "); the model keeps the parameters of step " + step + ". The partial run is in partialRun().", e, partial);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (display != null) display.finish(progress(step, history.recentLoss(20), c.optimizer.learningRate(), wall, history, status == RunStatus.COMPLETED ? "done" : status.toString().toLowerCase()));
        return new Run(c.label, status, message, step - c.startStep, wall, history);
    }

    private void evaluate(long step, History history, long start) {
        Builder<B> c = config;
        c.module.eval();
        try (var scope = GradMode.noGrad()) {
            history.add(new History.Evaluation(step, (System.nanoTime() - start) / 1e9, new LinkedHashMap<>(c.evaluation.get())));
        } finally {
            c.module.train();
        }
    }

    private TrainingProgress progress(long step, double loss, double lr, double elapsed, History history, String status) {
        List<History.Step> steps = history.steps();
        double tps = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).tokensPerSecond();
        return new TrainingProgress(config.label, step, config.steps, loss, lr, tps, elapsed, history.lastMetrics(), status);
    }

    private void saveLastGood() {
        for (int i = 0; i < lastGood.length; i++) System.arraycopy(parameters.get(i).data(), 0, lastGood[i], 0, lastGood[i].length);
    }

    private void restoreLastGood() {
        for (int i = 0; i < lastGood.length; i++) System.arraycopy(lastGood[i], 0, parameters.get(i).data(), 0, lastGood[i].length);
    }

    /** Configuration; every setter validates and names the parameter in its error. */
    public static final class Builder<B> {
        private final Module module;
        private final BatchSource<B> batches;
        private final Objective<B> objective;
        private Optimizer optimizer;
        private LearningRateSchedule schedule;
        private long steps = 1000, startStep, evalEvery, checkpointEvery;
        private float clipNorm = 1f;
        private long seed = Rng.defaultSeed();
        private String label = "run";
        private Supplier<Map<String, Double>> evaluation;
        private final List<LongConsumer> hooks = new java.util.ArrayList<>();
        private ToIntFunction<B> tokensPerBatch;
        private Path checkpointPath;
        private Map<String, String> config = new LinkedHashMap<>();
        private boolean progress = true;

        private Builder(Module module, BatchSource<B> batches, Objective<B> objective) {
            this.module = Require.notNull("Trainer", "module", module);
            this.batches = Require.notNull("Trainer", "batches", batches);
            this.objective = Require.notNull("Trainer", "objective", objective);
        }

        public Builder<B> steps(long v) {
            if (v < 1) throw new IllegalArgumentException("Trainer: steps must be >= 1, got " + v);
            steps = v;
            return this;
        }

        /** Continue a run from this step (e.g. after loading a checkpoint); defaults to 0. */
        public Builder<B> startStep(long v) {
            if (v < 0) throw new IllegalArgumentException("Trainer: startStep must be >= 0, got " + v);
            startStep = v;
            return this;
        }

        public Builder<B> optimizer(Optimizer v) {
            optimizer = Require.notNull("Trainer", "optimizer", v);
            return this;
        }

        public Builder<B> schedule(LearningRateSchedule v) {
            schedule = v;
            return this;
        }

        /** Global-norm gradient clipping threshold; 0 disables clipping (the norm is still measured). */
        public Builder<B> clipNorm(float v) {
            clipNorm = Require.nonNegative("Trainer", "clipNorm", v);
            return this;
        }

        public Builder<B> seed(long v) {
            seed = v;
            return this;
        }

        public Builder<B> label(String v) {
            label = Require.notNull("Trainer", "label", v);
            return this;
        }

        /** Runs {@code metrics} (in eval mode, without gradients) every {@code every} steps and at the end. */
        public Builder<B> evaluate(long every, Supplier<Map<String, Double>> metrics) {
            if (every < 1) throw new IllegalArgumentException("Trainer: evaluation interval must be >= 1, got " + every);
            evalEvery = every;
            evaluation = Require.notNull("Trainer", "evaluation", metrics);
            return this;
        }

        /** Called with the step number before each step: k schedules, temperature annealing... */
        public Builder<B> beforeEachStep(LongConsumer hook) {
            hooks.add(Require.notNull("Trainer", "hook", hook));
            return this;
        }

        public Builder<B> tokensPerBatch(ToIntFunction<B> v) {
            tokensPerBatch = v;
            return this;
        }

        /** Recorded in checkpoints, so a checkpoint says what produced it. */
        public Builder<B> config(Map<String, String> v) {
            config = new LinkedHashMap<>(v);
            return this;
        }

        /**
         * Saves a checkpoint every {@code every} steps and at the end. The directory is checked now, so a bad path
         * fails before any training rather than after it.
         */
        public Builder<B> checkpoint(Path path, long every) {
            Require.notNull("Trainer", "checkpoint path", path);
            if (every < 1) throw new IllegalArgumentException("Trainer: checkpoint interval must be >= 1, got " + every);
            Path dir = path.toAbsolutePath().getParent();
            try {
                if (dir != null) Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("Trainer: cannot create the checkpoint directory " + dir + ": " + e.getMessage(), e);
            }
            if (dir != null && !Files.isWritable(dir)) throw new IllegalArgumentException("Trainer: the checkpoint directory " + dir + " is not writable");
            if (Files.isDirectory(path)) throw new IllegalArgumentException("Trainer: the checkpoint path " + path + " is a directory; give a file name");
            checkpointPath = path;
            checkpointEvery = every;
            return this;
        }

        /** Live progress display (on by default). */
        public Builder<B> progress(boolean v) {
            progress = v;
            return this;
        }

        public Trainer<B> build() {
            if (optimizer == null) optimizer = AdamW.builder(module).learningRate(1e-3f).build();
            if (startStep >= steps) throw new IllegalArgumentException("Trainer: startStep (" + startStep + ") must be < steps (" + steps + ")");
            return new Trainer<>(this);
        }

        public Run fit() {
            return build().fit();
        }
    }
}
