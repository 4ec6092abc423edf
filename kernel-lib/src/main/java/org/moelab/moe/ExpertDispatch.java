package org.moelab.moe;

import java.util.List;
import org.moelab.tensor.CustomOp;
import org.moelab.tensor.Elementwise;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Kernels;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

/**
 * The fused sparse MoE feed-forward: for each expert, gather its tokens, run one GEMM pair, and scatter-add the
 * weighted outputs back. Experts with no tokens cost nothing. Forward and backward are hand-written (one graph
 * node instead of a dozen per expert), and {@link #dense} is the reference path the tests compare it with.
 *
 * <pre>
 *   y_t = Σ_{(t,e) routed} w_{t,e} · E_e(x_t),   E_e(x) = act(x·W1_e + b1_e)·W2_e + b2_e
 * </pre>
 */
public final class ExpertDispatch {
    private ExpertDispatch() {}

    /** One expert's FFN parameters: w1 [d, h], b1 [h], w2 [h, d], b2 [d]. */
    public record FfnWeights(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        int hidden() {
            return w1.size(1);
        }
    }

    /**
     * @param x       tokens [T, d]
     * @param routing which pairs (token, expert) exist
     * @param weights combine weight per pair [A], differentiable
     */
    public static Tensor sparse(Tensor x, Assignments routing, Tensor weights, List<FfnWeights> experts, Unary activation) {
        int tokens = x.size(0), d = x.size(1);
        validate(x, routing, weights, experts);
        Kernels k = Kernels.current();
        float[] xv = x.data(), wv = weights.data();
        int[] order = routing.groupedByExpert(), start = routing.groupStarts();
        int numExperts = experts.size();
        float[][] pre = new float[numExperts][], hidden = new float[numExperts][], outputs = new float[numExperts][];
        int[][] rows = new int[numExperts][];
        float[] out = new float[tokens * d];
        for (int e = 0; e < numExperts; e++) {
            int n = start[e + 1] - start[e];
            if (n == 0) continue;
            FfnWeights p = experts.get(e);
            int h = p.hidden();
            int[] tokenRows = new int[n];
            for (int r = 0; r < n; r++) tokenRows[r] = routing.token(order[start[e] + r]);
            float[] xe = new float[n * d];
            k.gatherRows(xv, d, tokenRows, xe);
            float[] z = rowBroadcast(p.b1().data(), n);
            k.gemm(false, false, n, h, d, 1f, xe, 0, p.w1().data(), 0, 1f, z, 0);
            float[] a = new float[n * h];
            k.unary(activation, z, a, n * h);
            float[] ye = rowBroadcast(p.b2().data(), n);
            k.gemm(false, false, n, d, h, 1f, a, 0, p.w2().data(), 0, 1f, ye, 0);
            for (int r = 0; r < n; r++) {
                float w = wv[order[start[e] + r]];
                int to = tokenRows[r] * d, yo = r * d;
                for (int j = 0; j < d; j++) out[to + j] += w * ye[yo + j];
            }
            rows[e] = tokenRows;
            pre[e] = z;
            hidden[e] = a;
            outputs[e] = ye;
        }
        Tensor[] inputs = new Tensor[2 + 4 * numExperts];
        inputs[0] = x;
        inputs[1] = weights;
        for (int e = 0; e < numExperts; e++) {
            FfnWeights p = experts.get(e);
            inputs[2 + 4 * e] = p.w1();
            inputs[3 + 4 * e] = p.b1();
            inputs[4 + 4 * e] = p.w2();
            inputs[5 + 4 * e] = p.b2();
        }
        return CustomOp.record("moeDispatch", out, new int[] {tokens, d}, (gOut, grads) -> {
            Kernels kern = Kernels.current();
            for (int e = 0; e < numExperts; e++) {
                if (rows[e] == null) continue;
                FfnWeights p = experts.get(e);
                int n = rows[e].length, h = p.hidden(), base = 2 + 4 * e;
                float[] gy = new float[n * d];
                for (int r = 0; r < n; r++) {
                    int to = rows[e][r] * d, yo = r * d;
                    float w = wv[order[start[e] + r]];
                    for (int j = 0; j < d; j++) gy[yo + j] = w * gOut[to + j];
                }
                if (grads.needs(1)) combineWeightGradients(gOut, outputs[e], rows[e], order, start[e], d, grads.of(1));
                if (grads.needs(base + 2)) kern.gemm(true, false, h, d, n, 1f, hidden[e], 0, gy, 0, 1f, grads.of(base + 2), 0);
                if (grads.needs(base + 3)) addColumnSums(gy, n, d, grads.of(base + 3));
                float[] gHidden = new float[n * h];
                kern.gemm(false, true, n, h, d, 1f, gy, 0, p.w2().data(), 0, 0f, gHidden, 0);
                float[] gPre = new float[n * h];
                kern.unaryBackward(activation, pre[e], hidden[e], gHidden, gPre, n * h);
                if (grads.needs(base)) {
                    float[] xe = new float[n * d];
                    kern.gatherRows(xv, d, rows[e], xe);
                    kern.gemm(true, false, d, h, n, 1f, xe, 0, gPre, 0, 1f, grads.of(base), 0);
                }
                if (grads.needs(base + 1)) addColumnSums(gPre, n, h, grads.of(base + 1));
                if (grads.needs(0)) {
                    float[] gx = new float[n * d];
                    kern.gemm(false, true, n, d, h, 1f, gPre, 0, p.w1().data(), 0, 0f, gx, 0);
                    kern.scatterAddRows(gx, d, rows[e], grads.of(0));
                }
            }
        }, inputs);
    }

    /**
     * The reference: every expert on every token, multiplied by a dense [T, E] weight matrix that is zero where a
     * token is not routed. Costs E times the sparse work; used to prove the sparse path right.
     */
    public static Tensor dense(Tensor x, Assignments routing, Tensor weights, List<FfnWeights> experts, Unary activation) {
        validate(x, routing, weights, experts);
        int tokens = x.size(0), numExperts = experts.size();
        int[] flat = new int[routing.size()];
        for (int i = 0; i < flat.length; i++) flat[i] = routing.token(i) * numExperts + routing.expert(i);
        Tensor denseWeights = Indexing.scatterAddRows(weights.reshape(-1, 1), flat, tokens * numExperts).reshape(tokens, numExperts);
        Tensor out = null;
        for (int e = 0; e < numExperts; e++) {
            FfnWeights p = experts.get(e);
            Tensor y = Elementwise.unary(activation, x.matmul(p.w1()).add(p.b1())).matmul(p.w2()).add(p.b2());
            Tensor contribution = y.mul(denseWeights.slice(1, e, e + 1));
            out = out == null ? contribution : out.add(contribution);
        }
        return out;
    }

    private static void validate(Tensor x, Assignments routing, Tensor weights, List<FfnWeights> experts) {
        if (x.rank() != 2) throw new IllegalArgumentException("moeDispatch: tokens must be [T, d], got " + java.util.Arrays.toString(x.shape()));
        if (routing.numTokens() != x.size(0)) throw new IllegalArgumentException("moeDispatch: routing is for " + routing.numTokens() + " tokens but x has " + x.size(0));
        if (weights.numel() != routing.size()) throw new IllegalArgumentException("moeDispatch: " + weights.numel() + " combine weights for " + routing.size() + " routed pairs");
        if (experts.size() != routing.numExperts()) throw new IllegalArgumentException("moeDispatch: routing is over " + routing.numExperts() + " experts but " + experts.size() + " were given");
        int d = x.size(1);
        for (int e = 0; e < experts.size(); e++) {
            FfnWeights p = experts.get(e);
            int h = p.w1().size(1);
            if (p.w1().size(0) != d || p.w2().size(0) != h || p.w2().size(1) != d || p.b1().numel() != h || p.b2().numel() != d) {
                throw new IllegalArgumentException("moeDispatch: expert " + e + " has w1 " + java.util.Arrays.toString(p.w1().shape())
                        + ", w2 " + java.util.Arrays.toString(p.w2().shape()) + " which do not fit d_model " + d);
            }
        }
    }

    /**
     * gw[pair] += Σ_j gOut[token, j]·y_e[r, j] for each of the expert's rows r, each sum in double in j order. Four
     * rows run side by side (four independent chains instead of one latency-bound chain); each row's sum keeps its
     * own order, so the bits are those of one row at a time.
     */
    private static void combineWeightGradients(float[] gOut, float[] ye, int[] tokenRows, int[] order, int first, int d, float[] gw) {
        int n = tokenRows.length, r = 0;
        for (; r + 4 <= n; r += 4) {
            int t0 = tokenRows[r] * d, t1 = tokenRows[r + 1] * d, t2 = tokenRows[r + 2] * d, t3 = tokenRows[r + 3] * d;
            int y0 = r * d, y1 = y0 + d, y2 = y1 + d, y3 = y2 + d;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int j = 0; j < d; j++) {
                s0 += (double) gOut[t0 + j] * ye[y0 + j];
                s1 += (double) gOut[t1 + j] * ye[y1 + j];
                s2 += (double) gOut[t2 + j] * ye[y2 + j];
                s3 += (double) gOut[t3 + j] * ye[y3 + j];
            }
            gw[order[first + r]] += (float) s0;
            gw[order[first + r + 1]] += (float) s1;
            gw[order[first + r + 2]] += (float) s2;
            gw[order[first + r + 3]] += (float) s3;
        }
        for (; r < n; r++) {
            int t = tokenRows[r] * d, y = r * d;
            double s = 0;
            for (int j = 0; j < d; j++) s += (double) gOut[t + j] * ye[y + j];
            gw[order[first + r]] += (float) s;
        }
    }

    private static float[] rowBroadcast(float[] bias, int rows) {
        int c = bias.length;
        float[] m = new float[rows * c];
        for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, m, r * c, c);
        return m;
    }

    private static void addColumnSums(float[] m, int rows, int cols, float[] into) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) into[j] += m[o + j];
        }
    }
}
