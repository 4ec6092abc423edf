package org.moelab.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.moelab.tensor.Reshaping;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

/**
 * SMoE-Dropout's premise: N experts of H/N hidden units, all active with weight 1/N, equal (1/N)·a dense FFN
 * whose hidden units are the experts' concatenated and whose output bias is the sum of the experts' biases.
 */
class SplitEquivalenceTest {
    @Test
    void allExpertsWithUniformWeightsEqualTheConcatenatedDenseFfn() {
        int t = 5, d = 4, n = 4, total = 12;
        Rng rng = new Rng(11);
        Experts experts = Experts.splitting(total, n, d, Unary.RELU, rng);
        Tensor x = Tensor.randn(rng, t, d);
        int[] token = new int[t * n], expert = new int[t * n];
        for (int i = 0; i < t; i++) for (int e = 0; e < n; e++) {
            token[i * n + e] = i;
            expert[i * n + e] = e;
        }
        Tensor uniform = Tensor.full(1f / n, t * n);
        Routing routing = new Routing(new Assignments(t, n, token, expert), uniform, null, null, java.util.Map.of());
        Tensor moe = experts.forward(x, routing);

        Tensor[] w1 = new Tensor[n], b1 = new Tensor[n], w2 = new Tensor[n];
        Tensor b2 = Tensor.zeros(d);
        for (int e = 0; e < n; e++) {
            w1[e] = experts.expert(e).w1();
            b1[e] = experts.expert(e).b1();
            w2[e] = experts.expert(e).w2();
            b2 = b2.add(experts.expert(e).b2());
        }
        Tensor dense = x.matmul(Reshaping.concat(1, w1)).add(Reshaping.concat(0, b1)).relu()
                .matmul(Reshaping.concat(0, w2)).add(b2).mul(1f / n);
        assertArrayEquals(dense.toFloatArray(), moe.toFloatArray(), 1e-5f, Arrays.toString(moe.shape()));
    }
}
