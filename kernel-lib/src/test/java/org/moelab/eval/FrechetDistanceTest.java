package org.moelab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.moelab.tensor.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Fréchet distance against its closed forms (ProMoE notes §3.5, metric ii). */
class FrechetDistanceTest {
    /** n samples of N(mean, diag(variances)) with a fixed seed. */
    private static double[][] gaussian(int n, double[] mean, double[] variances, long seed) {
        Rng rng = new Rng(seed);
        double[][] out = new double[n][mean.length];
        for (double[] row : out) {
            for (int j = 0; j < mean.length; j++) row[j] = mean[j] + Math.sqrt(variances[j]) * rng.nextGaussian();
        }
        return out;
    }

    /** A random correlated set: x = z·A for a fixed A, so its covariance is dense. */
    private static double[][] correlated(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        double[][] a = new double[d][d];
        for (double[] row : a) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
        double[][] out = new double[n][d];
        for (double[] row : out) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) z[j] = rng.nextGaussian();
            for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) row[j] += z[k] * a[k][j];
        }
        return out;
    }

    private static double[] filled(int d, double v) {
        double[] out = new double[d];
        java.util.Arrays.fill(out, v);
        return out;
    }

    @Test
    void aSetAgainstItselfIsZero() {
        double[][] x = correlated(500, 16, 1);
        assertEquals(0, FrechetDistance.between(x, x), 1e-6);
    }

    @Test
    void closedFormForDiagonalCovariances() {
        // Diagonal covariances commute: FD = ‖μ₁ − μ₂‖² + Σ (√a_i − √b_i)²
        int d = 5;
        double[] mu1 = {0, 1, 2, 3, 4}, mu2 = {1, 1, 0, 3, 4.5};
        double[] var1 = {1, 2, 3, 4, 0.5}, var2 = {4, 2, 1, 0.25, 0};
        double[][] c1 = new double[d][d], c2 = new double[d][d];
        double expected = 1 + 4 + 0.25;
        for (int i = 0; i < d; i++) {
            c1[i][i] = var1[i];
            c2[i][i] = var2[i];
            expected += Math.pow(Math.sqrt(var1[i]) - Math.sqrt(var2[i]), 2);
        }
        double fd = FrechetDistance.between(new FrechetDistance.Statistics(mu1, c1), new FrechetDistance.Statistics(mu2, c2));
        assertEquals(expected, fd, 1e-9);
    }

    @Test
    void sampledGaussiansApproachTheClosedForm() {
        int d = 8;
        double[] var1 = filled(d, 1), var2 = filled(d, 4);
        double[][] a = gaussian(20_000, filled(d, 0), var1, 2), b = gaussian(20_000, filled(d, 0.5), var2, 3);
        double expected = d * 0.25 + d * Math.pow(1 - 2, 2);
        assertEquals(expected, FrechetDistance.between(a, b), 0.05 * expected);
    }

    @Test
    void growsWithTheMeanShift() {
        int d = 8;
        double[][] base = gaussian(2000, filled(d, 0), filled(d, 1), 4);
        double previous = -1;
        for (double shift : new double[] {0, 0.5, 1, 2, 4}) {
            double fd = FrechetDistance.between(base, gaussian(2000, filled(d, shift), filled(d, 1), 5));
            assertTrue(fd > previous, "FD " + fd + " at shift " + shift + " must exceed " + previous);
            // the mean term alone is d·shift²; the sampling noise adds little on top
            assertEquals(d * shift * shift, fd, 0.1 + 0.05 * d * shift * shift);
            previous = fd;
        }
    }

    @Test
    void isSymmetric() {
        double[][] a = correlated(400, 12, 6), b = correlated(300, 12, 7);
        double ab = FrechetDistance.between(a, b), ba = FrechetDistance.between(b, a);
        assertTrue(ab > 0);
        assertEquals(ab, ba, 1e-8 * ab);
    }

    @Test
    void singularCovariancesStayFinite() {
        // 3 samples in 10 dimensions: rank-2 covariances, eigenvalues at round-off level get clamped
        double[][] a = correlated(3, 10, 8), b = correlated(3, 10, 9);
        double fd = FrechetDistance.between(a, b);
        assertTrue(Double.isFinite(fd) && fd > 0, "FD " + fd);
    }

    @Test
    void squareRootSquaresBack() {
        double[][] cov = FrechetDistance.Statistics.of(correlated(100, 6, 10)).covariance();
        INDArray m = Nd4j.create(cov);
        INDArray root = FrechetDistance.symmetricSquareRoot(m);
        INDArray back = root.mmul(root);
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) assertEquals(cov[i][j], back.getDouble(i, j), 1e-8 * (1 + Math.abs(cov[i][j])));
    }

    @Test
    void badInputsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("2 and 1 features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(new double[][] {{1}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("at least 2 samples"), e.getMessage());
    }
}
