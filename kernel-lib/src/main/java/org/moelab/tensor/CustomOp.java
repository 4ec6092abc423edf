package org.moelab.tensor;

/**
 * The extension point for fused ops written outside this package (MoE dispatch/combine, the delta-rule scan...):
 * compute the forward yourself, then attach a hand-written backward with {@link #record}.
 *
 * <pre>{@code
 * Tensor out = CustomOp.record("myOp", outValues, outShape, (gradOut, grads) -> {
 *     if (grads.needs(0)) { float[] gx = grads.of(0); ... gx[i] += ...; }
 * }, x, w);
 * }</pre>
 * Backward functions must <em>accumulate</em> into the buffers from {@link Gradients#of(int)}, and keep neither those
 * nor {@code gradOutput} once they return: the engine reuses an intermediate's gradient arrays ({@code ArrayCache}).
 */
public final class CustomOp {
    private CustomOp() {}

    /** The hand-written backward of a custom op. */
    @FunctionalInterface
    public interface Backward {
        void apply(float[] gradOutput, Gradients inputs);
    }

    /** Access to the inputs' gradient buffers during a backward pass. */
    public static final class Gradients {
        private final Tensor[] inputs;

        private Gradients(Tensor[] inputs) {
            this.inputs = inputs;
        }

        /** Whether input i wants a gradient (skip its work otherwise). */
        public boolean needs(int i) {
            return inputs[i].requiresGrad();
        }

        /** Input i's gradient buffer (allocated on first use), to accumulate into during this call only. */
        public float[] of(int i) {
            return inputs[i].gradBuffer();
        }
    }

    /**
     * Wraps {@code values} (now owned by the tensor) as the op's output of {@code shape} and, when recording
     * and some input requires a gradient, attaches {@code backward}.
     */
    public static Tensor record(String op, float[] values, int[] shape, Backward backward, Tensor... inputs) {
        Tensor out = new Tensor(values, shape);
        if (!Tensor.anyRequiresGrad(inputs)) return out;
        Gradients gradients = new Gradients(inputs);
        return out.recordedBy(new Node(op, inputs) {
            @Override
            void backward(float[] gradOutput) {
                backward.apply(gradOutput, gradients);
            }
        });
    }
}
