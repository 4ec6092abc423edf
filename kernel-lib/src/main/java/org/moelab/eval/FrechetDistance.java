package org.moelab.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fréchet distance between two feature sets, each summarised by a Gaussian (ProMoE notes §3.5, metric ii):
 * FD = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2·tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}), in double precision.
 *
 * <p>Why this form of the cross term: (Σ₁^{1/2} Σ₂ Σ₁^{1/2}) is symmetric positive semi-definite, so both square
 * roots come from ND4J's symmetric eigendecomposition (LAPACK syev) instead of a general matrix square root; the
 * trace of its square root is just Σ √λᵢ. Round-off can make eigenvalues of a singular covariance slightly
 * negative; they are clamped to 0.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** Mean and covariance (unbiased, divisor n − 1, as numpy's {@code cov}) of a feature set. */
    public record Statistics(double[] mean, double[][] covariance) {
        public Statistics {
            if (mean == null || covariance == null || covariance.length != mean.length) {
                throw new IllegalArgumentException("FrechetDistance.Statistics: covariance must be d×d for a mean of length d");
            }
            for (double[] row : covariance) {
                if (row.length != mean.length) throw new IllegalArgumentException("FrechetDistance.Statistics: covariance must be square, " + mean.length + "×" + mean.length);
            }
        }

        public int dimension() {
            return mean.length;
        }

        /** The statistics of {@code samples} [n][d], n ≥ 2. */
        public static Statistics of(double[][] samples) {
            if (samples == null || samples.length < 2) {
                throw new IllegalArgumentException("FrechetDistance: need at least 2 samples to estimate a covariance, got " + (samples == null ? 0 : samples.length));
            }
            int n = samples.length, d = samples[0].length;
            double[] mean = new double[d];
            for (double[] row : samples) {
                if (row.length != d) throw new IllegalArgumentException("FrechetDistance: every sample must have " + d + " features, one has " + row.length);
                for (int j = 0; j < d; j++) mean[j] += row[j];
            }
            for (int j = 0; j < d; j++) mean[j] /= n;
            double[][] cov = new double[d][d];
            double[] centred = new double[d];
            for (double[] row : samples) {
                for (int j = 0; j < d; j++) centred[j] = row[j] - mean[j];
                for (int i = 0; i < d; i++) {
                    for (int j = i; j < d; j++) cov[i][j] += centred[i] * centred[j];
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    cov[i][j] /= n - 1;
                    cov[j][i] = cov[i][j];
                }
            }
            return new Statistics(mean, cov);
        }

        public static Statistics of(float[][] samples) {
            double[][] d = new double[samples.length][];
            for (int i = 0; i < samples.length; i++) {
                d[i] = new double[samples[i].length];
                for (int j = 0; j < d[i].length; j++) d[i][j] = samples[i][j];
            }
            return of(d);
        }
    }

    /** FD between two sample sets [n][d] (each n ≥ 2, same d). */
    public static double between(double[][] a, double[][] b) {
        return between(Statistics.of(a), Statistics.of(b));
    }

    public static double between(float[][] a, float[][] b) {
        return between(Statistics.of(a), Statistics.of(b));
    }

    /** FD between two Gaussians given by their statistics. */
    public static double between(Statistics a, Statistics b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("FrechetDistance: the sets have " + a.dimension() + " and " + b.dimension() + " features; they must match");
        }
        int d = a.dimension();
        double meanTerm = 0, traces = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
            traces += a.covariance()[i][i] + b.covariance()[i][i];
        }
        INDArray rootA = symmetricSquareRoot(matrix(a.covariance()));
        INDArray cross = rootA.mmul(matrix(b.covariance())).mmul(rootA);
        double traceOfRoot = 0;
        for (double lambda : symmetricEigenvalues(cross)) traceOfRoot += Math.sqrt(Math.max(lambda, 0));
        return Math.max(0, meanTerm + traces - 2 * traceOfRoot);
    }

    /** V·diag(√max(λ, 0))·Vᵀ from the symmetric eigendecomposition of {@code m}. */
    static INDArray symmetricSquareRoot(INDArray m) {
        INDArray vectors = symmetrised(m);
        // syev overwrites its argument with the eigenvectors (one per column)
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        int d = (int) values.length();
        INDArray scaled = vectors.dup('c');
        for (int j = 0; j < d; j++) {
            double root = Math.sqrt(Math.max(values.getDouble(j), 0));
            scaled.putColumn(j, vectors.getColumn(j).mul(root));
        }
        return scaled.mmul(vectors.transpose());
    }

    private static double[] symmetricEigenvalues(INDArray m) {
        return Eigen.symmetricGeneralizedEigenvalues(symmetrised(m), false).toDoubleVector();
    }

    /** (m + mᵀ)/2 as a fresh c-order copy: removes the round-off asymmetry of products, and syev may overwrite it. */
    private static INDArray symmetrised(INDArray m) {
        return m.add(m.transpose()).muli(0.5).dup('c');
    }

    private static INDArray matrix(double[][] values) {
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }
}
