package org.moelab.experiments;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.data.SeqTasks;
import org.moelab.data.ShippedFiles;
import org.moelab.models.CausalTransformer;
import org.moelab.tensor.Rng;
import org.moelab.train.AdamW;
import org.moelab.train.Checkpoint;
import org.moelab.train.LearningRateSchedule;
import org.moelab.train.Run;
import org.moelab.train.Trainer;

/**
 * The frozen base of the LoRA-Mixer study (plan §2.4 of the notes): a 2-layer decoder, d = 48, 4 heads, pre-trained
 * on the generic COPY task in the {@code BOS cue x SEP y EOS} format, so it knows the format but none of the four
 * conflicting tasks. Its weights ship as {@value #FILE} (made by {@link #main}: {@code ./moelab build} then
 * {@code java -cp ... org.moelab.experiments.LoraMixerBase data/loramixer-copy-base.bin}), so notebooks never
 * retrain it; {@link #shipped()} loads them with strict, shape-checked loading.
 */
public final class LoraMixerBase {
    public static final String FILE = "loramixer-copy-base.bin";
    public static final int D_MODEL = 48, HEADS = 4, LAYERS = 2;
    /** BOS cue, up to 8 digits, SEP, up to 8 answer tokens, EOS. */
    public static final int MAX_LEN = 20;
    static final int STEPS = 1500, BATCH = 64;
    static final float LEARNING_RATE = 3e-3f;
    static final long SEED = 2507;

    private LoraMixerBase() {}

    /** The untrained architecture (the shipped weights fit exactly this). */
    public static CausalTransformer architecture(long seed) {
        return CausalTransformer.builder().vocab(SeqTasks.VOCAB).dModel(D_MODEL).heads(HEADS).layers(LAYERS).maxLen(MAX_LEN).seed(seed).build();
    }

    /** The shipped, COPY-pre-trained base; a file that does not fit the architecture fails with the reason. */
    public static CausalTransformer shipped() {
        CausalTransformer model = architecture(SEED);
        Checkpoint checkpoint = Checkpoint.decode(ShippedFiles.bytes(FILE), "shipped " + FILE);
        try {
            checkpoint.restoreInto(model, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LoraMixerBase: " + FILE + " does not fit the base architecture (vocab " + SeqTasks.VOCAB + ", d "
                    + D_MODEL + ", " + HEADS + " heads, " + LAYERS + " layers, context " + MAX_LEN + "): " + e.getMessage(), e);
        }
        return model;
    }

    /** Pre-trains the base on COPY (5–8 digits, with its cue) with AdamW and cosine decay; deterministic per seed. */
    public static CausalTransformer pretrain(int steps, long seed, boolean progress) {
        CausalTransformer model = architecture(seed);
        SeqTasks copy = SeqTasks.builder().tasks(SeqTasks.Task.COPY).digits(5, 8).build();
        AdamW optimizer = AdamW.builder(model).learningRate(LEARNING_RATE).weightDecay(0.01f).build();
        Run run = Trainer.builder(model, step -> copy.generate(BATCH, new Rng(seed).fork("copy-" + step)),
                        (SeqTasks.Batch b, org.moelab.train.StepContext ctx) -> model.loss(b.inputs(), b.targets(), b.rows(), b.length()))
                .label("COPY base").steps(steps).seed(seed).optimizer(optimizer)
                .schedule(LearningRateSchedule.cosine(LEARNING_RATE, steps / 20, steps, LEARNING_RATE / 10))
                .clipNorm(1f).progress(progress).fit();
        if (!run.completed()) throw new IllegalStateException("LoraMixerBase: pre-training stopped: " + run.message());
        return model;
    }

    /** Writes the pre-trained base to {@code args[0]} (default data/{@value #FILE}). */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "data/" + FILE);
        CausalTransformer model = pretrain(STEPS, SEED, false);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("task", "COPY, 5-8 digits, with cue");
        config.put("steps", Integer.toString(STEPS));
        config.put("batch", Integer.toString(BATCH));
        config.put("seed", Long.toString(SEED));
        Checkpoint.of(STEPS, config, null, model, null).save(out);
        System.out.println("wrote " + out.toAbsolutePath() + " (" + model.numParameters() + " parameters)");
    }
}
