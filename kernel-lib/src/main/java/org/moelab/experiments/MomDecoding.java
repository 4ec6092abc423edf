package org.moelab.experiments;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.models.MoM;
import org.moelab.nn.KvCacheAttention;
import org.moelab.report.ResultsTable;
import org.moelab.tensor.Rng;
import org.moelab.viz.Better;
import org.moelab.viz.ChartStyle;
import org.moelab.viz.Curves;

/**
 * MoM's complexity claim made visible: decoding cost per token for a MoM layer (recurrent, M+1 fixed-size matrix
 * states) against a softmax-attention layer with a KV cache, at growing context lengths. MoM's time and state
 * stay flat; attention's grow linearly with the context.
 *
 * <p>How it is measured: at each length L the attention cache is filled with L random rows (a step's cost depends
 * on the cache length only; decoding L real tokens would cost O(L²)), then {@code steps} tokens are timed (best of three rounds; the cache grows by 3·steps meanwhile). MoM's
 * state has the same size after any number of tokens, so its steps are timed on the live state after warm-up.
 */
public final class MomDecoding {
    /** One context length: microseconds per token and floats held, for both layers. */
    public record Point(int length, double momMicros, double attentionMicros, long momFloats, long attentionFloats) {}

    private MomDecoding() {}

    public static List<Point> measure(int[] lengths, int dModel, int heads, int headDim, int steps, long seed) {
        MoM mom = MoM.builder().dModel(dModel).heads(heads).headDim(headDim).seed(seed).build();
        KvCacheAttention attention = new KvCacheAttention(dModel, heads, new Rng(seed).fork("attention"));
        Rng rng = new Rng(seed).fork("tokens");
        float[][] tokens = new float[steps][dModel];
        for (float[] t : tokens) for (int i = 0; i < dModel; i++) t[i] = (float) rng.nextGaussian();
        MoM.State state = mom.state();
        for (int w = 0; w < 3; w++) for (float[] t : tokens) mom.step(state, t);   // JIT warm-up, both layers
        KvCacheAttention.Cache warm = attention.cache();
        attention.fillRandom(warm, 256, rng);
        for (int w = 0; w < 3; w++) for (float[] t : tokens) attention.step(warm, t);
        List<Point> points = new ArrayList<>();
        for (int length : lengths) {
            KvCacheAttention.Cache cache = attention.cache();
            attention.fillRandom(cache, length, rng);
            attention.step(cache, tokens[0]);
            // best of three rounds: on a shared machine a round can lose the CPU, which says nothing about the layer
            double momMicros = Double.MAX_VALUE, attMicros = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (float[] t : tokens) mom.step(state, t);
                momMicros = Math.min(momMicros, (System.nanoTime() - t0) / 1e3 / steps);
                long t1 = System.nanoTime();
                for (float[] t : tokens) attention.step(cache, t);
                attMicros = Math.min(attMicros, (System.nanoTime() - t1) / 1e3 / steps);
            }
            points.add(new Point(length, momMicros, attMicros, state.floats(), cache.floats()));
        }
        return points;
    }

    public static ResultsTable table(List<Point> points) {
        ResultsTable.Builder b = ResultsTable.builder("context tokens", "MoM µs/token", "attention µs/token", "MoM state floats", "attention KV floats");
        for (Point p : points) b.row(p.length(), p.momMicros(), p.attentionMicros(), p.momFloats(), p.attentionFloats());
        return b.caption("Decoding one token at growing context (one layer)").build();
    }

    /** The layers in the colours of their MQAR arms, so notebook 02 shows MoM and attention alike in every chart. */
    private static final ChartStyle ARM_COLOURS = MomExperiment.ARM_COLOURS
            .withArmColour("MoM (recurrent)", MomExperiment.Arm.MOM.label).withArmColour("MoM state", MomExperiment.Arm.MOM.label)
            .withArmColour("softmax attention + KV cache", MomExperiment.Arm.ATTENTION.label).withArmColour("attention KV cache", MomExperiment.Arm.ATTENTION.label);

    public static Chart<?, ?> timeChart(List<Point> points) {
        double[] x = points.stream().mapToDouble(Point::length).toArray();
        return Curves.builder("Decoding time per token (one layer)").style(ARM_COLOURS).xTitle("context length (tokens)").yTitle("µs per token", Better.LOWER)
                .add("MoM (recurrent)", x, points.stream().mapToDouble(Point::momMicros).toArray())
                .add("softmax attention + KV cache", x, points.stream().mapToDouble(Point::attentionMicros).toArray()).build();
    }

    public static Chart<?, ?> memoryChart(List<Point> points) {
        double[] x = points.stream().mapToDouble(Point::length).toArray();
        return Curves.builder("Decoding memory (one layer)").style(ARM_COLOURS).xTitle("context length (tokens)").yTitle("floats held", Better.LOWER)
                .add("MoM state", x, points.stream().mapToDouble(Point::momFloats).toArray())
                .add("attention KV cache", x, points.stream().mapToDouble(Point::attentionFloats).toArray()).build();
    }
}
