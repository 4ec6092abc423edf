package org.moelab.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.moelab.data.ClassImageGenerator;
import org.moelab.data.ImageDataset;
import org.moelab.data.LabelledImages;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.Checkpoint;

/**
 * Trains a frozen evaluator once, deterministically (ProMoE notes §3.5: "trained once on 20k real samples, ≈99%
 * accuracy; ship the weights"), reports held-out accuracy and writes the weights as a {@link Checkpoint}
 * (parameters and config only, no optimizer state, so the file stays under 100 KB). The same recipe and
 * {@link ShapesClassifier} architecture serve every {@link ImageDataset}; only the images differ.
 *
 * <p>Usage: {@code TrainShapesEvaluator [--dataset SHAPES10|TEXTURES10] [output]} (default dataset SHAPES10, default
 * output {@code data/} + {@link ShapesEvaluator#shippedFile}); data/README.md gives the exact commands. Every random
 * draw (data, initialisation, shuffling) comes from the fixed seeds below — the same for every data set — so a
 * rerun trains the same model; measured on the 2-core build machine, two runs' weights differed by at most 1.5e-6
 * (float round-off in the kernels), not bit for bit, with the same held-out accuracy.
 */
public final class TrainShapesEvaluator {
    static final long TRAIN_SEED = 20_260_801L, HELD_OUT_SEED = 20_260_802L, INIT_SEED = 20_260_803L, SHUFFLE_SEED = 20_260_804L;

    private TrainShapesEvaluator() {}

    /** What to train: the data set, sample counts, epochs, batch size and peak learning rate (cosine-decayed to 0). */
    public record Settings(ImageDataset dataset, int trainSamples, int heldOutSamples, int epochs, int batchSize, float learningRate) {
        /** The recipe of the shipped evaluators (the same for every data set). */
        public static Settings shipped(ImageDataset dataset) {
            return new Settings(dataset, 20_000, 4_000, 6, 64, 3e-3f);
        }

        Map<String, String> asConfig() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("model", "ShapesClassifier");
            config.put("dataset", dataset.name());
            config.put("train_samples", Integer.toString(trainSamples));
            config.put("train_seed", Long.toString(TRAIN_SEED));
            config.put("held_out_samples", Integer.toString(heldOutSamples));
            config.put("held_out_seed", Long.toString(HELD_OUT_SEED));
            config.put("init_seed", Long.toString(INIT_SEED));
            config.put("epochs", Integer.toString(epochs));
            config.put("batch_size", Integer.toString(batchSize));
            config.put("learning_rate", Float.toString(learningRate));
            config.put("optimizer", "AdamW(weight decay 0.01), cosine decay");
            return config;
        }
    }

    /** The trained model, its held-out accuracy and the optimizer steps taken. */
    public record Result(ShapesClassifier model, double heldOutAccuracy, long steps) {}

    public static Result train(Settings s, boolean verbose) {
        LabelledImages train = s.dataset().generator(TRAIN_SEED).next(s.trainSamples());
        LabelledImages heldOut = s.dataset().generator(HELD_OUT_SEED).next(s.heldOutSamples());
        ShapesClassifier model = new ShapesClassifier(new Rng(INIT_SEED));
        AdamW optimizer = AdamW.builder(model).learningRate(s.learningRate()).build();
        Rng shuffle = new Rng(SHUFFLE_SEED);
        int pixels = ClassImageGenerator.SIZE * ClassImageGenerator.SIZE;
        int batchesPerEpoch = (s.trainSamples() + s.batchSize() - 1) / s.batchSize();
        long totalSteps = (long) batchesPerEpoch * s.epochs(), step = 0;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            int[] order = shuffle.permutation(s.trainSamples());
            double lossSum = 0;
            for (int start = 0; start < s.trainSamples(); start += s.batchSize()) {
                int n = Math.min(s.batchSize(), s.trainSamples() - start);
                float[] x = new float[n * pixels];
                int[] y = new int[n];
                for (int i = 0; i < n; i++) {
                    int src = order[start + i];
                    System.arraycopy(train.pixels(), src * pixels, x, i * pixels, pixels);
                    y[i] = train.labels()[src];
                }
                optimizer.learningRate((float) (s.learningRate() * 0.5 * (1 + StrictMath.cos(Math.PI * step / totalSteps))));
                optimizer.zeroGrad();
                Tensor loss = Losses.crossEntropy(model.logits(Tensor.of(x, n, 1, ClassImageGenerator.SIZE, ClassImageGenerator.SIZE)), y);
                loss.backward();
                optimizer.step();
                lossSum += loss.item() * n;
                step++;
            }
            if (verbose) {
                System.out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, held-out accuracy %.4f%n", epoch + 1, s.epochs(),
                        lossSum / s.trainSamples(), new ShapesEvaluator(model).conditionalAccuracy(heldOut.pixels(), heldOut.labels()));
            }
        }
        model.eval();
        double accuracy = new ShapesEvaluator(model).conditionalAccuracy(heldOut.pixels(), heldOut.labels());
        return new Result(model, accuracy, step);
    }

    public static void main(String[] args) {
        ImageDataset dataset = ImageDataset.SHAPES10;
        int next = 0;
        if (args.length >= 2 && args[0].equals("--dataset")) {
            try {
                dataset = ImageDataset.valueOf(args[1]);
            } catch (IllegalArgumentException e) {
                System.err.println("TrainShapesEvaluator: --dataset " + args[1] + " is not one of " + java.util.Arrays.toString(ImageDataset.values()));
                System.exit(2);
            }
            next = 2;
        }
        if (args.length - next > 1 || (args.length > next && args[next].startsWith("--"))) {
            System.err.println("usage: TrainShapesEvaluator [--dataset SHAPES10|TEXTURES10] [output file, default data/<dataset>-evaluator.bin]");
            System.exit(2);
        }
        Path output = Path.of(args.length > next ? args[next] : "data/" + ShapesEvaluator.shippedFile(dataset)).toAbsolutePath();
        Settings settings = Settings.shipped(dataset);
        long t0 = System.nanoTime();
        Result result = train(settings, true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> config = settings.asConfig();
        config.put("held_out_accuracy", String.format(Locale.ROOT, "%.4f", result.heldOutAccuracy()));
        try (var scope = GradMode.noGrad()) {
            Checkpoint.of(result.steps(), config, null, result.model(), null).save(output);
        }
        System.out.printf(Locale.ROOT, "%s: held-out accuracy %.4f on %d images; %d steps in %.1f s; wrote %s (%d parameters)%n",
                dataset.displayName, result.heldOutAccuracy(), settings.heldOutSamples(), result.steps(), seconds, output, result.model().numParameters());
    }
}
