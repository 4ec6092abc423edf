package org.moelab.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.moelab.tribuo.MoeClassifierTrainer.RouterKind;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

class MoeClassifierModelTest {
    static final MutableDataset<Label> TRAIN = TestData.blobs(300, 21);
    static final MutableDataset<Label> TEST = TestData.blobs(150, 22);
    static final MoeClassifierModel MODEL = MoeClassifierTrainer.builder().epochs(20).build().train(TRAIN);

    @Test
    void javaSerialisationRoundTripsPredictionsAndProvenance() throws Exception {
        for (RouterKind kind : RouterKind.values()) {
            MoeClassifierModel model = MoeClassifierTrainer.builder().routerKind(kind).epochs(2).build().train(TRAIN);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(model);
            }
            Model<?> read;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                read = (Model<?>) in.readObject();
            }
            Model<Label> back = read.castModel(Label.class);
            assertEquals(model.getProvenance(), back.getProvenance());
            assertArrayEquals(MoeClassifierTrainerTest.scores(model, TEST), MoeClassifierTrainerTest.scores(back, TEST), kind.toString());
        }
    }

    @Test
    void protobufSerialisationSaysWhatToUseInstead() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, MODEL::serialize);
        assertTrue(e.getMessage().contains("Java serialisation"), e.getMessage());
    }

    @Test
    void copyPredictsTheSameAndKeepsProvenance() {
        Model<Label> copy = MODEL.copy();
        assertNotSame(MODEL, copy);
        assertEquals(MODEL.getProvenance(), copy.getProvenance());
        assertArrayEquals(MoeClassifierTrainerTest.scores(MODEL, TEST), MoeClassifierTrainerTest.scores(copy, TEST));
    }

    @Test
    void topFeaturesRankTheInformativeFeaturesFirst() {
        Map<String, List<Pair<String, Double>>> top = MODEL.getTopFeatures(2);
        assertEquals(Set.of(Model.ALL_OUTPUTS), top.keySet());
        Set<String> names = top.get(Model.ALL_OUTPUTS).stream().map(Pair::getA).collect(Collectors.toSet());
        assertEquals(Set.of("f0", "f1"), names, String.valueOf(MODEL.getTopFeatures(-1)));
        assertEquals(4, MODEL.getTopFeatures(-1).get(Model.ALL_OUTPUTS).size());
        assertTrue(MODEL.getExcuse(TEST.getExample(0)).isEmpty());
    }

    @Test
    void routingStatisticsCoverEveryExample() {
        int[] load = MODEL.expertLoad(TEST);
        assertEquals(MODEL.numExperts(), load.length);
        assertEquals(MODEL.topK() * TEST.size(), Arrays.stream(load).sum());
        Map<String, int[]> byLabel = MODEL.expertsByLabel(TEST);
        assertEquals(Set.of("north", "east", "west"), byLabel.keySet());
        assertEquals(TEST.size(), byLabel.values().stream().mapToInt(c -> Arrays.stream(c).sum()).sum());
    }

    @Test
    void trainingLossFallsAndStateDictHasTheExperts() {
        double[] loss = MODEL.trainingLoss();
        assertEquals(20 * 10, loss.length); // 20 epochs of ceil(300 / 32) steps
        double first = Arrays.stream(loss, 0, 10).average().orElseThrow(), last = Arrays.stream(loss, loss.length - 10, loss.length).average().orElseThrow();
        assertTrue(last < first / 3, first + " -> " + last);
        Map<String, float[]> state = MODEL.stateDict();
        assertTrue(state.containsKey("moe.experts.3.w1"), state.keySet().toString());
        assertTrue(state.containsKey("moe.router.gate.weight"), state.keySet().toString());
        state.get("input.weight")[0] = 1e6f; // a copy: the model is unaffected
        assertArrayEquals(MoeClassifierTrainerTest.scores(MODEL, TEST), MoeClassifierTrainerTest.scores(MODEL.copy(), TEST));
        assertEquals(MODEL.numParameters(), state.values().stream().mapToLong(v -> v.length).sum());
    }

    @Test
    void unknownFeaturesAreIgnoredButAnExampleNeedsOneKnownFeature() {
        ArrayExample<Label> partial = new ArrayExample<>(new Label("north"));
        partial.add("f0", 0.1);
        partial.add("never-seen", 3.0);
        assertEquals(1, MODEL.predict(partial).getNumActiveFeatures());
        ArrayExample<Label> none = new ArrayExample<>(new Label("north"));
        none.add("never-seen", 3.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MODEL.predict(none));
        assertTrue(e.getMessage().contains("feature domain"), e.getMessage());
    }
}
