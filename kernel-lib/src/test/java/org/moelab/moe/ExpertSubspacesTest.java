package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Unary;

class ExpertSubspacesTest {
    @Test
    void identicalExpertsOverlapFullyAndRandomOnesNearKOverD() {
        Experts bank = new Experts(3, 24, 40, Unary.GELU, new Rng(1));
        double random = ExpertSubspaces.meanOverlap(bank, 3, 4);
        assertEquals(4.0 / 24, random, 0.12, "random subspaces overlap about k/D");
        float[] w0 = bank.expert(0).w1().data();
        System.arraycopy(w0, 0, bank.expert(1).w1().data(), 0, w0.length);
        System.arraycopy(w0, 0, bank.expert(2).w1().data(), 0, w0.length);
        assertEquals(1.0, ExpertSubspaces.meanOverlap(bank, 3, 4), 1e-6);
        assertTrue(Double.isNaN(ExpertSubspaces.meanOverlap(bank, 1, 4)));
    }

    @Test
    void leftSingularVectorsOfADiagonalMatrix() {
        // W = diag(3, 1, 2) padded to [3, 3]: the top-2 left singular vectors are e0 and e2
        float[] w = {3, 0, 0, 0, 1, 0, 0, 0, 2};
        double[][] u = ExpertSubspaces.topLeftSingularVectors(w, 3, 3, 2);
        assertEquals(1.0, Math.abs(u[0][0]), 1e-9);
        assertEquals(1.0, Math.abs(u[1][2]), 1e-9);
    }
}
