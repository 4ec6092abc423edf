package org.moelab.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.moelab.viz.HtmlRenderable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float32 tensor with contiguous row-major storage on the JVM heap, and the node of the define-by-run
 * autograd graph that produced it.
 *
 * <p>Storage is a plain {@code float[]} because the element-wise, norm, softmax and scan kernels are Java
 * loops (ND4J's eager element-wise ops are 15-170x slower than PyTorch at our sizes) and GEMM reads the array
 * in place through OpenBLAS. {@link #reshape} is a view (shares storage); transposes and permutes copy, and
 * {@link #matmul(Tensor, boolean, boolean)} takes transpose flags so the hot path never copies.
 */
public final class Tensor implements HtmlRenderable {
    final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    float[] grad;
    Node gradFn;
    private String name;

    Tensor(float[] data, int[] shape) {
        if (data.length != Shapes.numel(shape)) {
            throw new IllegalArgumentException("data has " + data.length + " values but shape " + Shapes.str(shape)
                    + " needs " + Shapes.numel(shape));
        }
        this.data = data;
        this.shape = shape.clone();
    }

    // ---------------------------------------------------------------- creation

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.numel(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape);
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** Standard normal values times {@code std}, drawn from the given seeded stream. */
    public static Tensor randn(Rng rng, float std, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * std);
        return new Tensor(d, shape);
    }

    public static Tensor randn(Rng rng, int... shape) {
        return randn(rng, 1f, shape);
    }

    /** Uniform values in [low, high) from the given seeded stream. */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * rng.nextFloat();
        return new Tensor(d, shape);
    }

    /** Wraps a copy of {@code values} with the given shape. */
    public static Tensor of(float[] values, int... shape) {
        return new Tensor(values.clone(), shape);
    }

    public static Tensor of(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw new IllegalArgumentException("Tensor.of: ragged rows (row 0 has " + c + " values, row " + i + " has " + rows[i].length + ")");
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Tensor(d, new int[] {r, c});
    }

    public static Tensor arange(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new Tensor(d, new int[] {n});
    }

    /** Copies an ND4J array (any order, any numeric type) into a new tensor. */
    public static Tensor fromINDArray(INDArray array) {
        int[] s = Arrays.stream(array.shape()).mapToInt(Math::toIntExact).toArray();
        INDArray c = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
        return new Tensor(c.dup('c').data().asFloat(), s);
    }

    /** A c-order float ND4J copy of this tensor. */
    public INDArray toINDArray() {
        long[] s = Arrays.stream(shape).asLongStream().toArray();
        return Nd4j.create(data.clone(), s, 'c');
    }

    // ---------------------------------------------------------------- basics

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    public int numel() {
        return data.length;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) throw new IllegalArgumentException("item(): tensor of shape " + Shapes.str(shape) + " has " + data.length + " elements, not 1");
        return data[0];
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    /** Writes one value in place (no gradient is recorded: use it for data, not for graph values). */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length + " but the tensor has shape " + Shapes.str(shape));
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            Shapes.requireIndex("get", "index at axis " + i, index[i], shape[i]);
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** A copy of the values. */
    public float[] toFloatArray() {
        return data.clone();
    }

    /** The storage itself; writes are visible to the tensor (for optimizers and data loaders). */
    public float[] data() {
        return data;
    }

    public String name() {
        return name;
    }

    public Tensor named(String n) {
        this.name = n;
        return this;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a parameter whose gradient is wanted. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) throw new IllegalArgumentException("requiresGrad(false) on a non-leaf tensor produced by '" + gradFn.op + "': use detach()");
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient (same shape), or null before any backward reached this tensor. */
    public Tensor grad() {
        return grad == null ? null : new Tensor(grad, shape);
    }

    public void zeroGrad() {
        grad = null;
    }

    /** A tensor sharing this one's values but cut from the graph. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    /** The name of the op that produced this tensor, or null for a leaf. */
    public String op() {
        return gradFn == null ? null : gradFn.op;
    }

    float[] gradBuffer() {
        if (grad == null) grad = ArrayCache.ofThread().zeroed(data.length);
        return grad;
    }

    /**
     * Adds g into the gradient. The first gradient is a copy of g computed as g + 0: the bits of 0 + g, what a
     * zeroed buffer plus g gave (-0 becomes +0), without zeroing a buffer first.
     */
    void accumulateGrad(float[] g) {
        if (grad == null) {
            float[] c = ArrayCache.ofThread().overwritten(g.length);
            for (int i = 0; i < g.length; i++) c[i] = g[i] + 0f;
            grad = c;
            return;
        }
        float[] dst = grad;
        for (int i = 0; i < g.length; i++) dst[i] += g[i];
    }

    /**
     * As {@link #accumulateGrad}, but g is handed over: nothing reads or writes it after this call (a fresh array, or
     * the gradient of an op's output that the tape is about to drop). The first gradient is g itself, with -0 made +0
     * in place (the bits of 0 + g again), so no buffer is zeroed and none copied.
     */
    void takeGrad(float[] g) {
        if (grad == null) {
            for (int i = 0; i < g.length; i++) g[i] += 0f;
            grad = g;
            return;
        }
        float[] dst = grad;
        for (int i = 0; i < g.length; i++) dst[i] += g[i];
    }

    /** Backpropagates from this scalar (a gradient of 1). */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalArgumentException("backward(): the output has shape " + Shapes.str(shape)
                    + "; call backward on a scalar loss or pass an explicit gradient with backward(grad)");
        }
        backward(new float[] {1f});
    }

    /**
     * Runs the tape backwards from this tensor with the given output gradient. Gradients accumulate into leaves
     * ({@code requiresGrad} tensors without a producing op); intermediate gradients and the graph are released.
     */
    public void backward(float[] gradOutput) {
        if (gradOutput.length != data.length) throw new IllegalArgumentException("backward: gradient has " + gradOutput.length + " values for an output of shape " + Shapes.str(shape));
        if (!requiresGrad) throw new IllegalArgumentException("backward: this tensor does not require grad (no parameter reached it, or it was made under noGrad)");
        requireFinite("backward", "loss", data);
        requireFinite("backward", "output gradient", gradOutput);
        List<Node> tape = reachableNodes();
        accumulateGrad(gradOutput);
        ArrayCache spare = ArrayCache.ofThread();
        for (Node node : tape) {
            Tensor out = node.output;
            // An output that nothing downstream used (e.g. the indices half of a pair) still has gradient zero.
            float[] gy = out.gradBuffer();
            node.backward(gy);
            out.grad = null;
            out.gradFn = null;
            if (!handedOver(gy, node)) spare.giveBack(gy);
        }
    }

    /** Whether an op's backward kept its output gradient gy as the gradient of one of its inputs (takeGrad). */
    private static boolean handedOver(float[] gy, Node node) {
        for (Tensor in : node.inputs) if (in.grad == gy) return true;
        return false;
    }

    private static void requireFinite(String op, String what, float[] values) {
        if (VectorMath.allFinite(values)) return;
        for (float v : values) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException(op + ": the " + what + " contains NaN or Inf (" + v + "); check the inputs and the learning rate");
        }
    }

    /** Every recorded op this tensor depends on, newest first: the tape, replayed backwards. */
    private List<Node> reachableNodes() {
        List<Node> nodes = new ArrayList<>();
        Set<Node> seen = new HashSet<>();
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        stack.push(this);
        while (!stack.isEmpty()) {
            Node n = stack.pop().gradFn;
            if (n == null || !seen.add(n)) continue;
            nodes.add(n);
            for (Tensor in : n.inputs) if (in.gradFn != null) stack.push(in);
        }
        nodes.sort(Comparator.comparingLong((Node n) -> n.sequence).reversed());
        return nodes;
    }

    /** Attaches the op that produced this tensor, if recording is on and some input needs a gradient. */
    Tensor recordedBy(Node node) {
        if (!GradMode.isEnabled()) return this;
        for (Tensor in : node.inputs) {
            if (in.requiresGrad) {
                this.gradFn = node;
                this.requiresGrad = true;
                node.output = this;
                return this;
            }
        }
        return this;
    }

    static boolean anyRequiresGrad(Tensor... ts) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : ts) if (t.requiresGrad) return true;
        return false;
    }

    // ---------------------------------------------------------------- fluent ops (see the op classes for details)

    public Tensor add(Tensor other) { return Elementwise.add(this, other); }

    public Tensor sub(Tensor other) { return Elementwise.sub(this, other); }

    public Tensor mul(Tensor other) { return Elementwise.mul(this, other); }

    public Tensor div(Tensor other) { return Elementwise.div(this, other); }

    public Tensor add(float value) { return Elementwise.affine(this, 1f, value); }

    public Tensor mul(float value) { return Elementwise.affine(this, value, 0f); }

    public Tensor neg() { return Elementwise.unary(Unary.NEG, this); }

    public Tensor exp() { return Elementwise.unary(Unary.EXP, this); }

    public Tensor log() { return Elementwise.unary(Unary.LOG, this); }

    public Tensor tanh() { return Elementwise.unary(Unary.TANH, this); }

    public Tensor sigmoid() { return Elementwise.unary(Unary.SIGMOID, this); }

    public Tensor relu() { return Elementwise.unary(Unary.RELU, this); }

    public Tensor gelu() { return Elementwise.unary(Unary.GELU, this); }

    public Tensor silu() { return Elementwise.unary(Unary.SILU, this); }

    public Tensor sqrt() { return Elementwise.unary(Unary.SQRT, this); }

    public Tensor square() { return Elementwise.unary(Unary.SQUARE, this); }

    public Tensor abs() { return Elementwise.unary(Unary.ABS, this); }

    public Tensor matmul(Tensor other) { return LinearAlgebra.matmul(this, other); }

    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return LinearAlgebra.matmul(this, other, transposeThis, transposeOther);
    }

    public Tensor sum() { return Reductions.sum(this); }

    public Tensor sum(int axis, boolean keepDim) { return Reductions.sum(this, axis, keepDim); }

    public Tensor mean() { return Reductions.mean(this); }

    public Tensor mean(int axis, boolean keepDim) { return Reductions.mean(this, axis, keepDim); }

    public Tensor max(int axis, boolean keepDim) { return Reductions.max(this, axis, keepDim); }

    public Tensor cumsum(int axis) { return Reductions.cumsum(this, axis); }

    public Tensor softmax() { return Softmax.softmax(this); }

    public Tensor logSoftmax() { return Softmax.logSoftmax(this); }

    public Tensor reshape(int... newShape) { return Reshaping.reshape(this, newShape); }

    public Tensor transpose(int axis0, int axis1) { return Reshaping.transpose(this, axis0, axis1); }

    public Tensor permute(int... order) { return Reshaping.permute(this, order); }

    public Tensor slice(int axis, int start, int end) { return Reshaping.slice(this, axis, start, end); }

    public Tensor gatherRows(int[] index) { return Indexing.gatherRows(this, index); }

    // ---------------------------------------------------------------- display

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape));
        if (gradFn != null) sb.append(" grad_fn=").append(gradFn.op);
        else if (requiresGrad) sb.append(" requires_grad");
        sb.append(' ');
        int show = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < show; i++) {
            if (i > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "%.4g", data[i]));
        }
        if (data.length > show) sb.append(", ... (").append(data.length).append(" values)");
        return sb.append(']').toString();
    }

    /** A small HTML table (rank ≤ 2; larger tensors show their first rows and columns) for notebooks. */
    @Override
    public String toHtml() {
        int rows = rank() == 0 ? 1 : rank() == 1 ? 1 : Shapes.outer(shape, rank() - 1);
        int cols = rank() == 0 ? 1 : shape[rank() - 1];
        int showRows = Math.min(rows, 12), showCols = Math.min(cols, 12);
        StringBuilder sb = new StringBuilder("<div><b>Tensor").append(Shapes.str(shape)).append("</b>");
        if (gradFn != null) sb.append(" <code>grad_fn=").append(gradFn.op).append("</code>");
        sb.append("<table>");
        for (int r = 0; r < showRows; r++) {
            sb.append("<tr>");
            for (int c = 0; c < showCols; c++) {
                sb.append("<td>").append(String.format(Locale.ROOT, "%.4g", data[r * cols + c])).append("</td>");
            }
            if (cols > showCols) sb.append("<td>…</td>");
            sb.append("</tr>");
        }
        if (rows > showRows) sb.append("<tr><td colspan=\"").append(showCols + 1).append("\">… ").append(rows - showRows).append(" more rows</td></tr>");
        return sb.append("</table></div>").toString();
    }
}
