package org.moelab.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.moelab.tribuo.MoeClassifierTrainer.RouterKind;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.TrainerProvenance;

class MoeClassifierTrainerTest {
    static final MutableDataset<Label> TRAIN = TestData.blobs(300, 1);
    static final MutableDataset<Label> TEST = TestData.blobs(300, 2);

    static double accuracy(Model<Label> model, Dataset<Label> test) {
        return new LabelEvaluator().evaluate(model, test).accuracy();
    }

    @Test
    void learnsBlobsWellAboveTheMajorityBaseline() {
        MoeClassifierModel model = MoeClassifierTrainer.builder().build().train(TRAIN);
        double moe = accuracy(model, TEST);
        double majority = accuracy(DummyClassifierTrainer.createMostFrequentTrainer().train(TRAIN), TEST);
        // Bayes accuracy of these blobs is about 0.96; the majority class gets 1/3.
        assertTrue(moe > 0.9, "accuracy " + moe);
        assertTrue(moe > majority + 0.5, "accuracy " + moe + " vs majority baseline " + majority);
    }

    @Test
    void learnsXorBeyondAnyLinearBoundary() {
        MoeClassifierModel model = MoeClassifierTrainer.builder().epochs(60).build().train(TestData.xor(400, 3));
        double acc = accuracy(model, TestData.xor(400, 4));
        // A linear boundary tops out near 2/3 (cutting off one corner); seeds 1-4 give 0.97-0.98 here.
        assertTrue(acc > 0.9, "accuracy " + acc);
    }

    @ParameterizedTest
    @EnumSource(RouterKind.class)
    void everyRouterKindTrainsAndRoutesEveryExample(RouterKind kind) {
        MoeClassifierModel model = MoeClassifierTrainer.builder().routerKind(kind).numExperts(4).topK(2).build().train(TRAIN);
        double acc = accuracy(model, TEST);
        assertTrue(acc > 0.85, kind + " accuracy " + acc);
        int[] load = model.expertLoad(TEST);
        // At inference every router gives each example exactly k experts.
        assertEquals(2 * TEST.size(), Arrays.stream(load).sum(), Arrays.toString(load));
        assertEquals(kind, model.routerKind());
        System.out.printf("%s: accuracy %.3f, load %s, %s%n", kind, acc, Arrays.toString(load), model.routerDescription());
    }

    @Test
    void predictionsCarryAProbabilityForEveryLabel() {
        MoeClassifierModel model = MoeClassifierTrainer.builder().epochs(5).build().train(TRAIN);
        assertTrue(model.generatesProbabilities());
        for (Prediction<Label> p : model.predict(TEST)) {
            Map<String, Label> scores = p.getOutputScores();
            assertEquals(3, scores.size());
            double sum = scores.values().stream().mapToDouble(Label::getScore).sum();
            assertEquals(1.0, sum, 1e-5);
            double best = scores.values().stream().mapToDouble(Label::getScore).max().orElseThrow();
            assertEquals(best, p.getOutput().getScore(), 1e-7);
            assertEquals(best, scores.get(p.getOutput().getLabel()).getScore(), 1e-7);
            assertTrue(p.hasProbabilities());
            assertEquals(4, p.getNumActiveFeatures());
        }
    }

    @Test
    void batchedAndSingleExamplePredictionsAgree() {
        for (RouterKind kind : RouterKind.values()) {
            MoeClassifierModel model = MoeClassifierTrainer.builder().routerKind(kind).epochs(3).build().train(TRAIN);
            List<Prediction<Label>> batched = model.predict(TEST);
            for (int i = 0; i < 20; i++) {
                Prediction<Label> single = model.predict(TEST.getExample(i));
                assertTrue(single.distributionEquals(batched.get(i), 1e-6), kind + " example " + i);
            }
        }
    }

    // ---------------------------------------------------------------- determinism and invocation counts

    static float[] scores(Model<Label> model, Dataset<Label> data) {
        List<Prediction<Label>> predictions = model.predict(data);
        float[] out = new float[predictions.size() * 3];
        int i = 0;
        for (Prediction<Label> p : predictions) for (Label l : p.getOutputScores().values()) out[i++] = (float) l.getScore();
        return out;
    }

    @Test
    void sameSeedGivesIdenticalPredictionsAndOtherSeedsDiffer() {
        MoeClassifierTrainer.Builder b = MoeClassifierTrainer.builder().epochs(4).seed(7);
        float[] first = scores(b.build().train(TRAIN), TEST);
        float[] again = scores(b.build().train(TRAIN), TEST);
        assertArrayEquals(first, again);
        assertNotEquals(Arrays.toString(first), Arrays.toString(scores(b.seed(8).build().train(TRAIN), TEST)));
    }

    @Test
    void invocationCountDerivesTheSeedAndCanBeReplayed() {
        MoeClassifierTrainer trainer = MoeClassifierTrainer.builder().epochs(4).build();
        float[] first = scores(trainer.train(TRAIN), TEST);
        assertEquals(1, trainer.getInvocationCount());
        float[] second = scores(trainer.train(TRAIN), TEST);
        assertEquals(2, trainer.getInvocationCount());
        assertNotEquals(Arrays.toString(first), Arrays.toString(second), "a second train call draws a fresh stream, as in Tribuo");
        MoeClassifierModel replayed = trainer.train(TRAIN, Map.of(), 0);
        assertArrayEquals(first, scores(replayed, TEST));
        assertEquals("0", TestData.entry(replayed.getProvenance().getTrainerProvenance(), TrainerProvenance.TRAIN_INVOCATION_COUNT));
        assertEquals(1, trainer.getInvocationCount());
        trainer.setInvocationCount(1);
        assertArrayEquals(second, scores(trainer.train(TRAIN), TEST));
    }

    // ---------------------------------------------------------------- validation

    static void assertBuilderRejects(Consumer<MoeClassifierTrainer.Builder> setting, String field) {
        MoeClassifierTrainer.Builder b = MoeClassifierTrainer.builder();
        setting.accept(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void builderErrorsNameTheField() {
        assertBuilderRejects(b -> b.numExperts(0), "numExperts");
        assertBuilderRejects(b -> b.numExperts(4).topK(5), "topK must be in [1, numExperts = 4], got 5");
        assertBuilderRejects(b -> b.topK(0), "topK");
        assertBuilderRejects(b -> b.hiddenSize(0), "hiddenSize");
        assertBuilderRejects(b -> b.dModel(-1), "dModel");
        assertBuilderRejects(b -> b.epochs(0), "epochs");
        assertBuilderRejects(b -> b.batchSize(0), "batchSize");
        assertBuilderRejects(b -> b.learningRate(Float.NaN), "learningRate");
        assertBuilderRejects(b -> b.learningRate(0), "learningRate");
        assertBuilderRejects(b -> b.balanceWeight(-0.1f), "balanceWeight");
        assertBuilderRejects(b -> b.routerKind(null), "routerKind must be one of [LEARNED_TOP_K, FROZEN_RANDOM, EXPERT_CHOICE]");
    }

    @Test
    void olcutConfigurationIsValidatedByPostConfig() {
        ConfigurationData bad = new ConfigurationData("moe", MoeClassifierTrainer.class.getName());
        bad.add("numExperts", new SimpleProperty("2"));
        bad.add("topK", new SimpleProperty("3"));
        try (ConfigurationManager cm = new ConfigurationManager()) {
            cm.addConfiguration(bad);
            PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("moe"));
            assertEquals("topK", e.getProperty());
            assertTrue(e.getMessage().contains("topK must be in [1, numExperts = 2], got 3"), e.getMessage());
        }
        ConfigurationData good = new ConfigurationData("moe", MoeClassifierTrainer.class.getName());
        good.add("numExperts", new SimpleProperty("6"));
        good.add("routerKind", new SimpleProperty("EXPERT_CHOICE"));
        try (ConfigurationManager cm = new ConfigurationManager()) {
            cm.addConfiguration(good);
            MoeClassifierTrainer trainer = (MoeClassifierTrainer) cm.lookup("moe");
            assertTrue(trainer.toString().contains("numExperts=6"), trainer.toString());
            assertTrue(trainer.toString().contains("routerKind=EXPERT_CHOICE"), trainer.toString());
        }
    }

    @Test
    void unusableDatasetsAreRejectedWithAReason() {
        MutableDataset<Label> empty = new MutableDataset<>(new org.tribuo.provenance.SimpleDataSourceProvenance("empty", TestData.LABELS), TestData.LABELS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoeClassifierTrainer.builder().build().train(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
