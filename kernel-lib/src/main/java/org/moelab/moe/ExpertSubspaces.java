package org.moelab.moe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inter-expert subspace similarity (ProMoE Fig. 1b): the input subspace an expert reads is spanned by the top-k left
 * singular vectors U_e ∈ R^{D×k} of its first weight matrix W1_e [D, h]; two experts overlap by the mean squared
 * projection ‖U_iᵀU_j‖²_F / k ∈ [0, 1] (1 = same subspace, k/D = random subspaces). The left singular vectors are the
 * top eigenvectors of the symmetric W1·W1ᵀ, from ND4J's symmetric eigen-decomposition (LAPACK syevd).
 */
public final class ExpertSubspaces {
    private ExpertSubspaces() {}

    /** Mean overlap over all pairs of the first {@code count} experts of the bank (NaN for fewer than 2). */
    public static double meanOverlap(Experts experts, int count, int k) {
        if (count < 2) return Double.NaN;
        int d = experts.dModel();
        if (k < 1 || k > d) throw new IllegalArgumentException("ExpertSubspaces: k must be in [1, " + d + "], got " + k);
        double[][][] bases = new double[count][][];
        for (int e = 0; e < count; e++) bases[e] = topLeftSingularVectors(experts.expert(e).w1().data(), d, experts.hidden(), k);
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < count; i++) for (int j = i + 1; j < count; j++) {
            sum += overlap(bases[i], bases[j]);
            pairs++;
        }
        return sum / pairs;
    }

    /** ‖AᵀB‖²_F / k for two orthonormal bases given as k vectors of length D. */
    static double overlap(double[][] a, double[][] b) {
        double s = 0;
        for (double[] u : a) for (double[] v : b) {
            double dot = 0;
            for (int i = 0; i < u.length; i++) dot += u[i] * v[i];
            s += dot * dot;
        }
        return s / a.length;
    }

    /** The k leading left singular vectors of W [D, h] (row-major), as k arrays of length D. */
    static double[][] topLeftSingularVectors(float[] w, int d, int h, int k) {
        double[] gram = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = i; j < d; j++) {
            double s = 0;
            for (int c = 0; c < h; c++) s += (double) w[i * h + c] * w[j * h + c];
            gram[i * d + j] = s;
            gram[j * d + i] = s;
        }
        INDArray m = Nd4j.create(gram, new long[] {d, d}, DataType.DOUBLE);
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(m, true); // m now holds the eigenvectors as columns
        double[] lambda = values.toDoubleVector();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(lambda[y], lambda[x]));
        double[][] out = new double[k][d];
        for (int r = 0; r < k; r++) for (int i = 0; i < d; i++) out[r][i] = m.getDouble(i, order[r]);
        return out;
    }
}
