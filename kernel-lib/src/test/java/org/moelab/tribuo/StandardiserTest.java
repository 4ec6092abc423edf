package org.moelab.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

class StandardiserTest {

    static ArrayExample<Label> example(String label, Object... nameValue) {
        ArrayExample<Label> ex = new ArrayExample<>(new Label(label));
        for (int i = 0; i < nameValue.length; i += 2) ex.add((String) nameValue[i], ((Number) nameValue[i + 1]).doubleValue());
        return ex;
    }

    @Test
    void usesTrainingMeanAndStdTreatsAbsentFeaturesAsZeroAndKeepsConstantFeatures() {
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("tiny", TestData.LABELS), TestData.LABELS);
        data.add(example("a", "big", 5000, "constant", 7, "sparse", 2));
        data.add(example("b", "big", 7000, "constant", 7));
        // Tribuo sorts feature names: big=0, constant=1, sparse=2.
        Standardiser s = Standardiser.fit(data, data.getFeatureIDMap());
        assertArrayEquals(new float[] {6000, 7, 1}, s.mean());
        assertArrayEquals(new float[] {1000, 1, 1}, s.std(), "a constant feature keeps std 1 instead of dividing by 0");
        float[] row = new float[3];
        s.row(example("?", "big", 8000, "unknown", 1), data.getFeatureIDMap(), row, 0);
        assertArrayEquals(new float[] {2, -7, -1}, row);
        assertEquals(3, s.numFeatures());
    }
}
