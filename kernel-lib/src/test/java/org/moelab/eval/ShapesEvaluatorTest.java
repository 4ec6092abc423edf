package org.moelab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.moelab.data.ImageDataset;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.data.ShippedFiles;
import org.moelab.data.Textures10;
import org.moelab.nn.Linear;
import org.moelab.tensor.Rng;
import org.moelab.train.Checkpoint;

/**
 * The shipped evaluators (ProMoE notes §3.5): Shapes-10's loading, accuracy, features, FD and clear failures, and
 * Textures-10's accuracy on fresh images; both files are documented in data/README.md.
 */
class ShapesEvaluatorTest {
    /** Fresh images: a seed neither training (20260801) nor the held-out set (20260802) used. */
    private static final LabelledImages FRESH = new Shapes10(777).next(1000);
    private static final int PIXELS = Shapes10.SIZE * Shapes10.SIZE;

    @Test
    void shippedEvaluatorClassifiesFreshImages() {
        ShapesEvaluator evaluator = ShapesEvaluator.shipped();
        assertSame(evaluator, ShapesEvaluator.shipped(), "the loaded evaluator is cached");
        // measured 0.998 on 4000 held-out images when trained
        double accuracy = evaluator.conditionalAccuracy(FRESH.pixels(), FRESH.labels());
        assertTrue(accuracy > 0.98, "accuracy " + accuracy);
        int[] predicted = evaluator.predict(FRESH.pixels(), FRESH.count());
        assertEquals(FRESH.count(), predicted.length);
        for (int p : predicted) assertTrue(p >= 0 && p < Shapes10.CLASSES);
    }

    @Test
    void shippedTexturesEvaluatorClassifiesFreshTextures() {
        ShapesEvaluator evaluator = ShapesEvaluator.shipped(ImageDataset.TEXTURES10);
        assertSame(evaluator, ShapesEvaluator.shipped(ImageDataset.TEXTURES10), "the loaded evaluator is cached per data set");
        assertNotSame(evaluator, ShapesEvaluator.shipped(), "each data set has its own weights");
        // measured 1.000 on 4000 held-out images when trained; fresh seeds neither training nor held-out set used
        LabelledImages fresh = new Textures10(777).next(1000);
        double accuracy = evaluator.conditionalAccuracy(fresh.pixels(), fresh.labels());
        assertTrue(accuracy > 0.98, "accuracy " + accuracy);
        Textures10 textures = new Textures10(778);
        for (int c = 0; c < Textures10.CLASSES; c++) {
            LabelledImages images = textures.ofClass(c, 50);
            double classAccuracy = evaluator.conditionalAccuracy(images.pixels(), images.labels());
            assertTrue(classAccuracy > 0.9, Textures10.Texture.values()[c] + ": accuracy " + classAccuracy);
        }
        Checkpoint checkpoint = Checkpoint.decode(ShippedFiles.bytes(ShapesEvaluator.shippedFile(ImageDataset.TEXTURES10)), "shipped");
        assertEquals("TEXTURES10", checkpoint.config().get("dataset"));
        assertEquals(ShapesEvaluator.SHIPPED_FILE, ShapesEvaluator.shippedFile(ImageDataset.SHAPES10));
    }

    @Test
    void everyClassIsRecognised() {
        ShapesEvaluator evaluator = ShapesEvaluator.shipped();
        Shapes10 shapes = new Shapes10(778);
        for (int c = 0; c < Shapes10.CLASSES; c++) {
            LabelledImages images = shapes.ofClass(c, 50);
            double accuracy = evaluator.conditionalAccuracy(images.pixels(), images.labels());
            assertTrue(accuracy > 0.9, Shapes10.Shape.values()[c] + ": accuracy " + accuracy);
        }
    }

    @Test
    void shuffledLabelsScoreNearChance() {
        int[] shuffled = FRESH.labels().clone();
        Rng rng = new Rng(3);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        double accuracy = ShapesEvaluator.shipped().conditionalAccuracy(FRESH.pixels(), shuffled);
        assertEquals(0.1, accuracy, 0.05);
    }

    @Test
    void featuresAreCountBy64AndBatchSizeDoesNotMatter() {
        ShapesEvaluator evaluator = ShapesEvaluator.shipped();
        int n = ShapesEvaluator.BATCH + 3; // crosses a batch boundary
        LabelledImages images = new Shapes10(779).next(n);
        float[][] features = evaluator.features(images.pixels(), n);
        assertEquals(n, features.length);
        for (float[] f : features) assertEquals(ShapesClassifier.FEATURES, f.length);
        float[][] last = evaluator.features(java.util.Arrays.copyOfRange(images.pixels(), (n - 1) * PIXELS, n * PIXELS), 1);
        assertArrayEquals(features[n - 1], last[0], 1e-5f);
    }

    @Test
    void frechetDistanceSeparatesRealFromCorrupted() {
        ShapesEvaluator evaluator = ShapesEvaluator.shipped();
        LabelledImages a = new Shapes10(780).next(500), b = new Shapes10(781).next(500);
        double realVsReal = evaluator.frechetDistance(a.pixels(), 500, b.pixels(), 500);
        assertEquals(0, evaluator.frechetDistance(a.pixels(), 500, a.pixels(), 500), 1e-6);
        float[] noisy = b.pixels().clone();
        Rng rng = new Rng(4);
        for (int i = 0; i < noisy.length; i++) noisy[i] = (float) Math.max(-1, Math.min(1, noisy[i] + 0.5 * rng.nextGaussian()));
        double realVsNoisy = evaluator.frechetDistance(a.pixels(), 500, noisy, 500);
        LabelledImages disks = new Shapes10(782).ofClass(0, 500);
        double realVsOneClass = evaluator.frechetDistance(a.pixels(), 500, disks.pixels(), 500);
        assertTrue(realVsNoisy > 5 * realVsReal, "noisy " + realVsNoisy + " vs real " + realVsReal);
        assertTrue(realVsOneClass > 5 * realVsReal, "one class " + realVsOneClass + " vs real " + realVsReal);
        FrechetDistance.Statistics reference = evaluator.statistics(a.pixels(), 500);
        assertEquals(realVsNoisy, evaluator.frechetDistance(noisy, 500, reference), 1e-9 * realVsNoisy);
    }

    @Test
    void wrongShapeCheckpointFailsClearlyAndLeavesTheModelUnchanged() {
        ShapesClassifier model = new ShapesClassifier(new Rng(5));
        Map<String, float[]> before = model.stateDict();
        Map<String, float[]> wrong = new LinkedHashMap<>(before);
        wrong.put("hidden.weight", new float[256 * 32]); // a 32-feature hidden layer
        Checkpoint checkpoint = new Checkpoint(0, Map.of(), null, wrong, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShapesEvaluator.restore(model, checkpoint, "test checkpoint"));
        assertTrue(e.getMessage().contains("ShapesEvaluator: test checkpoint does not hold ShapesClassifier weights"), e.getMessage());
        assertTrue(e.getMessage().contains("hidden.weight"), e.getMessage());
        Map<String, float[]> after = model.stateDict();
        before.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
    }

    @Test
    void anotherModelsCheckpointFailsClearly() {
        Checkpoint linear = Checkpoint.of(0, Map.of(), null, new Linear(4, 2, new Rng(1)), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShapesEvaluator.restore(new ShapesClassifier(new Rng(1)), linear, "linear.bin"));
        assertTrue(e.getMessage().contains("linear.bin does not hold ShapesClassifier weights"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapesEvaluator.load(new byte[40], "garbage.bin"));
        assertTrue(e.getMessage().contains("garbage.bin"), e.getMessage());
    }

    @Test
    void shippedFileIsSmallAndSaysHowItWasTrained() {
        byte[] bytes = ShippedFiles.bytes(ShapesEvaluator.SHIPPED_FILE);
        assertTrue(bytes.length < 100_000, bytes.length + " bytes");
        Checkpoint checkpoint = Checkpoint.decode(bytes, "shipped");
        assertEquals("ShapesClassifier", checkpoint.config().get("model"));
        assertEquals("20000", checkpoint.config().get("train_samples"));
    }

    @Test
    void dataReadmeStatesTheShippedFilesSha256() throws Exception {
        Path data = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(data.resolve("data/README.md"))) data = data.getParent();
        String readme = Files.readString(data.resolve("data/README.md"));
        for (ImageDataset dataset : ImageDataset.values()) {
            String file = ShapesEvaluator.shippedFile(dataset);
            int start = readme.indexOf("## " + file);
            assertTrue(start >= 0, "data/README.md has a section '## " + file + "'");
            Matcher m = Pattern.compile("SHA-256 \\| `([0-9a-f]{64})`").matcher(readme.substring(start));
            assertTrue(m.find(), "data/README.md's " + file + " section states a SHA-256");
            byte[] bytes = Files.readAllBytes(data.resolve("data/" + file));
            assertEquals(m.group(1), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    "data/" + file + " changed: update its size, SHA-256 and accuracy in data/README.md");
            assertTrue(bytes.length < 100_000, file + ": " + bytes.length + " bytes");
        }
    }

    @Test
    void badInputsNameTheProblem() {
        ShapesEvaluator evaluator = ShapesEvaluator.shipped();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator.features(new float[100], 1));
        assertTrue(e.getMessage().contains("pixels must hold count × 16·16 = 256 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> evaluator.predict(new float[0], 0));
        assertTrue(e.getMessage().contains("count must be >= 1"), e.getMessage());
    }
}
