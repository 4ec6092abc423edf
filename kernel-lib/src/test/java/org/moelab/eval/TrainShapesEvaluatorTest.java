package org.moelab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.data.ImageDataset;

/** A short run of the evaluator's training recipe: it learns, and the fixed seeds make it repeatable. */
class TrainShapesEvaluatorTest {
    private static final TrainShapesEvaluator.Settings SHORT = new TrainShapesEvaluator.Settings(ImageDataset.SHAPES10, 6000, 300, 2, 64, 3e-3f);

    @Test
    void aShortRunLearnsAndRepeats() {
        TrainShapesEvaluator.Result first = TrainShapesEvaluator.train(SHORT, false);
        TrainShapesEvaluator.Result second = TrainShapesEvaluator.train(SHORT, false);
        assertEquals(2 * 94, first.steps());
        assertTrue(first.heldOutAccuracy() > 0.6, "accuracy " + first.heldOutAccuracy() + " after two short epochs");
        assertEquals(first.heldOutAccuracy(), second.heldOutAccuracy(), 1.0 / 300);
        first.model().stateDict().forEach((name, values) -> assertArrayEquals(values, second.model().stateDict().get(name), 1e-4f, name));
    }
}
