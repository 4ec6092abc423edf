package org.moelab.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moelab.tribuo.MoeClassifierTrainer.RouterKind;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

class ProvenanceTest {
    static final MutableDataset<Label> TRAIN = TestData.blobs(150, 11);
    static final MutableDataset<Label> TEST = TestData.blobs(60, 12);

    static MoeClassifierTrainer trainer() {
        return MoeClassifierTrainer.builder().numExperts(6).topK(3).hiddenSize(16).dModel(24)
                .routerKind(RouterKind.FROZEN_RANDOM).epochs(3).batchSize(16).learningRate(0.02f).balanceWeight(0.05f).seed(99).build();
    }

    @Test
    void trainerProvenanceRecordsEveryConfigValue() {
        TrainerProvenance p = trainer().getProvenance();
        assertEquals(MoeClassifierTrainer.class.getName(), p.getClassName());
        assertEquals("6", TestData.entry(p, "numExperts"));
        assertEquals("3", TestData.entry(p, "topK"));
        assertEquals("16", TestData.entry(p, "hiddenSize"));
        assertEquals("24", TestData.entry(p, "dModel"));
        assertEquals("FROZEN_RANDOM", TestData.entry(p, "routerKind"));
        assertEquals("3", TestData.entry(p, "epochs"));
        assertEquals("16", TestData.entry(p, "batchSize"));
        assertEquals("0.02", TestData.entry(p, "learningRate"));
        assertEquals("0.05", TestData.entry(p, "balanceWeight"));
        assertEquals("99", TestData.entry(p, "seed"));
        assertEquals("0", TestData.entry(p, TrainerProvenance.TRAIN_INVOCATION_COUNT));
    }

    @Test
    void modelProvenanceRoundTripsThroughMarshalling() {
        MoeClassifierModel model = trainer().train(TRAIN, Map.of());
        ModelProvenance p = model.getProvenance();
        assertEquals(MoeClassifierModel.class.getName(), p.getClassName());
        assertEquals(TRAIN.getProvenance(), p.getDatasetProvenance());
        ModelProvenance back = (ModelProvenance) ProvenanceUtil.unmarshalProvenance(ProvenanceUtil.marshalProvenance(p));
        assertEquals(p, back);
    }

    /** Tribuo's reproducibility recipe: configuration from the provenance, same invocation count, same data → same model. */
    @Test
    void aTrainerRebuiltFromTheProvenanceReproducesTheModel() {
        MoeClassifierTrainer original = trainer();
        original.train(TRAIN); // so the model below is the second invocation and the count matters
        MoeClassifierModel model = original.train(TRAIN);

        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(model.getProvenance().getTrainerProvenance());
        Trainer<?> rebuilt;
        try (ConfigurationManager cm = new ConfigurationManager()) {
            cm.addConfiguration(config);
            rebuilt = (Trainer<?>) cm.lookup(config.get(0).getName());
        }
        assertTrue(rebuilt instanceof MoeClassifierTrainer, String.valueOf(rebuilt));
        assertEquals(original.toString(), rebuilt.toString());
        int count = Integer.parseInt(TestData.entry(model.getProvenance().getTrainerProvenance(), TrainerProvenance.TRAIN_INVOCATION_COUNT));
        assertEquals(1, count);
        MoeClassifierModel reproduced = ((MoeClassifierTrainer) rebuilt).train(TRAIN, Map.of(), count);
        assertArrayEquals(MoeClassifierTrainerTest.scores(model, TEST), MoeClassifierTrainerTest.scores(reproduced, TEST));
        assertEquals(model.getProvenance().getTrainerProvenance(), reproduced.getProvenance().getTrainerProvenance());
    }
}
