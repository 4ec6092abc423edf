package org.moelab.tensor;

/** Point-wise ops: broadcasting arithmetic, scalar affine maps and the unary functions of {@link Unary}. */
public final class Elementwise {
    private Elementwise() {}

    public static Tensor add(Tensor a, Tensor b) {
        return binary(Binary.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(Binary.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(Binary.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(Binary.DIV, a, b);
    }

    /** a op b with numpy broadcasting; the gradient of a broadcast input is summed over the expanded dims. */
    public static Tensor binary(Binary kind, Tensor a, Tensor b) {
        String name = kind.name().toLowerCase();
        int[] outShape = Shapes.broadcast(name, a.shape(), b.shape());
        Kernels k = Kernels.current();
        Tensor out = Tensor.zeros(outShape);
        k.binary(kind, a.data, a.shape(), b.data, b.shape(), out.data, outShape);
        if (!Tensor.anyRequiresGrad(a, b)) return out;
        return out.recordedBy(new Node(name, a, b) {
            @Override
            void backward(float[] gy) {
                Kernels k = Kernels.current();
                int n = gy.length;
                // An input of the output's shape takes its gradient whole (Tensor.accumulateGrad/takeGrad: the first
                // one is copied or handed over instead of added to zeros, same bits); a broadcast input sums it.
                // gy itself (this output's gradient, dropped after this call) is handed over only when b's side
                // does not read it afterwards.
                if (needs(0)) {
                    float[] ga = switch (kind) {
                        case ADD, SUB -> gy;
                        case MUL -> combine(k, Binary.MUL, gy, outShape, b);
                        case DIV -> combine(k, Binary.DIV, gy, outShape, b);
                    };
                    if (a.data.length != n) {
                        k.reduceToShape(ga, outShape, a.gradBuffer(), a.shape());
                        if (ga != gy) ArrayCache.ofThread().giveBack(ga);
                    } else if (ga != gy || !needs(1)) a.takeGrad(ga);
                    else a.accumulateGrad(ga);
                }
                if (needs(1)) {
                    float[] gb = switch (kind) {
                        case ADD -> gy;
                        case SUB -> negate(k, gy, n);
                        case MUL -> combine(k, Binary.MUL, gy, outShape, a);
                        // d(a/b)/db = -a/b² = -out/b
                        case DIV -> negate(k, combine(k, Binary.DIV, combine(k, Binary.MUL, gy, outShape, out), outShape, b), n);
                    };
                    if (b.data.length != n) {
                        k.reduceToShape(gb, outShape, b.gradBuffer(), b.shape());
                        if (gb != gy) ArrayCache.ofThread().giveBack(gb);
                    } else {
                        b.takeGrad(gb);
                    }
                }
            }
        });
    }

    private static float[] combine(Kernels k, Binary op, float[] g, int[] gShape, Tensor t) {
        float[] r = ArrayCache.ofThread().zeroed(g.length);
        k.binary(op, g, gShape, t.data, t.shape(), r, gShape);
        return r;
    }

    private static float[] negate(Kernels k, float[] g, int n) {
        float[] r = ArrayCache.ofThread().zeroed(n);
        k.affine(g, -1f, 0f, r, n);
        return r;
    }

    /** x·scale + shift. */
    public static Tensor affine(Tensor x, float scale, float shift) {
        Tensor out = Tensor.zeros(x.shape());
        Kernels.current().affine(x.data, scale, shift, out.data, x.numel());
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node("affine", x) {
            @Override
            void backward(float[] gy) {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < gy.length; i++) gx[i] += gy[i] * scale;
            }
        });
    }

    public static Tensor unary(Unary fn, Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        Kernels.current().unary(fn, x.data, out.data, x.numel());
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node(fn.name().toLowerCase(), x) {
            @Override
            void backward(float[] gy) {
                Kernels.current().unaryBackward(fn, x.data, out.data, gy, x.gradBuffer(), gy.length);
            }
        });
    }
}
