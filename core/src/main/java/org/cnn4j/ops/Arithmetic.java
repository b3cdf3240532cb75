package org.cnn4j.ops;

import java.util.Arrays;
import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Elementwise arithmetic with NumPy broadcasting, and sum/mean reductions, with autograd. */
public final class Arithmetic {
    private Arithmetic() {
    }

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase();
        Checks.sameBackend(name, a, b);
        Backend be = a.backend();
        Tensor out = Tensor.empty(be, Shape.broadcast(name, a.shape(), b.shape()));
        be.binary(op, a, b, out);
        return Autograd.record(out, name, new Tensor[] {a, b}, g -> switch (op) {
            case ADD -> new Tensor[] {sumTo(g, a.shape()), sumTo(g, b.shape())};
            case SUB -> new Tensor[] {sumTo(g, a.shape()), sumTo(raw(be, UnaryOp.NEG, g), b.shape())};
            case MUL -> new Tensor[] {
                a.requiresGrad() ? sumTo(raw(be, BinaryOp.MUL, g, b), a.shape()) : null,
                b.requiresGrad() ? sumTo(raw(be, BinaryOp.MUL, g, a), b.shape()) : null};
            case DIV -> new Tensor[] {
                a.requiresGrad() ? sumTo(raw(be, BinaryOp.DIV, g, b), a.shape()) : null,
                b.requiresGrad() ? sumTo(divGradB(be, g, a, b), b.shape()) : null};
        });
    }

    /** d(a/b)/db = -g * a / b^2. */
    private static Tensor divGradB(Backend be, Tensor g, Tensor a, Tensor b) {
        Tensor ga = raw(be, BinaryOp.MUL, g, a);
        Tensor b2 = raw(be, UnaryOp.SQUARE, b);
        Tensor q = raw(be, BinaryOp.DIV, ga, b2);
        ga.close();
        b2.close();
        Tensor r = raw(be, UnaryOp.NEG, q);
        q.close();
        return r;
    }

    public static Tensor add(Tensor x, float s) {
        return scalar(ScalarOp.ADD, x, s);
    }

    public static Tensor mul(Tensor x, float s) {
        return scalar(ScalarOp.MUL, x, s);
    }

    public static Tensor pow(Tensor x, float s) {
        return scalar(ScalarOp.POW, x, s);
    }

    public static Tensor scalar(ScalarOp op, Tensor x, float s) {
        Checks.sameBackend(op.name().toLowerCase(), x);
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, x.shape());
        be.scalar(op, x, s, out);
        return Autograd.record(out, op.name().toLowerCase(), Map.of("scalar", s), new Tensor[] {x},
                g -> new Tensor[] {switch (op) {
            case ADD -> g;
            case MUL -> raw(be, ScalarOp.MUL, g, s);
            case RSUB -> raw(be, UnaryOp.NEG, g);
            case POW -> {
                Tensor xs = raw(be, ScalarOp.POW, x, s - 1);
                Tensor scaled = raw(be, ScalarOp.MUL, xs, s);
                xs.close();
                Tensor r = raw(be, BinaryOp.MUL, g, scaled);
                scaled.close();
                yield r;
            }
            case RDIV -> {
                Tensor x2 = raw(be, UnaryOp.SQUARE, x);
                Tensor inv = raw(be, ScalarOp.RDIV, x2, -s);
                x2.close();
                Tensor r = raw(be, BinaryOp.MUL, g, inv);
                inv.close();
                yield r;
            }
        }});
    }

    public static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, x);
    }

    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x);
    }

    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, x);
    }

    public static Tensor square(Tensor x) {
        return unary(UnaryOp.SQUARE, x);
    }

    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, x);
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        String name = op.name().toLowerCase();
        Checks.sameBackend(name, x);
        Backend be = x.backend();
        Tensor out = raw(be, op, x);
        return Autograd.record(out, name, new Tensor[] {x}, g -> new Tensor[] {switch (op) {
            case NEG -> raw(be, UnaryOp.NEG, g);
            case EXP -> raw(be, BinaryOp.MUL, g, out);
            case LOG -> raw(be, BinaryOp.DIV, g, x);
            case SQRT -> {
                Tensor half = raw(be, BinaryOp.DIV, g, out);
                Tensor r = raw(be, ScalarOp.MUL, half, 0.5f);
                half.close();
                yield r;
            }
            case SQUARE -> {
                Tensor gx = raw(be, BinaryOp.MUL, g, x);
                Tensor r = raw(be, ScalarOp.MUL, gx, 2f);
                gx.close();
                yield r;
            }
            case ABS -> {
                Tensor sign = raw(be, UnaryOp.SIGN, x);
                Tensor r = raw(be, BinaryOp.MUL, g, sign);
                sign.close();
                yield r;
            }
            case SIGN -> Tensor.zeros(be, x.shape());
        }});
    }

    /** Sum of all elements, as a scalar tensor. */
    public static Tensor sum(Tensor x) {
        return sum(x, allAxes(x), false);
    }

    public static Tensor mean(Tensor x) {
        return mean(x, allAxes(x), false);
    }

    /** Sum over {@code axes} (negative axes count from the end), keeping them as size 1 when {@code keepDim}. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        Checks.sameBackend("sum", x);
        Backend be = x.backend();
        int[] kept = x.shape().dims();
        for (int a : axes) {
            kept[x.shape().axis(a)] = 1;
        }
        Shape keptShape = Shape.of(kept);
        Tensor reduced = Tensor.empty(be, keptShape);
        be.reduceSumTo(x, reduced);
        Tensor out = keepDim ? reduced : viewWithout(reduced, x.shape(), axes);
        if (out != reduced) {
            reduced.close();
        }
        int[] reducedAxes = Arrays.stream(axes).map(a -> x.shape().axis(a)).toArray();
        return Autograd.record(out, "sum", Map.of("axes", reducedAxes, "keepdim", keepDim), new Tensor[] {x}, g -> {
            Tensor gk = g.view(keptShape);
            Tensor expanded = Tensor.zeros(be, x.shape());
            be.binary(BinaryOp.ADD, expanded, gk, expanded);
            gk.close();
            return new Tensor[] {expanded};
        });
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        long n = 1;
        for (int a : axes) {
            n *= x.shape().dim(a);
        }
        Tensor s = sum(x, axes, keepDim);
        Tensor m = mul(s, 1f / n);
        if (!s.requiresGrad()) {
            s.close();
        }
        return m;
    }

    private static int[] allAxes(Tensor x) {
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    private static Tensor viewWithout(Tensor reduced, Shape original, int[] axes) {
        boolean[] drop = new boolean[original.rank()];
        for (int a : axes) {
            drop[original.axis(a)] = true;
        }
        int count = 0;
        for (boolean d : drop) {
            count += d ? 0 : 1;
        }
        int[] dims = new int[count];
        for (int i = 0, j = 0; i < drop.length; i++) {
            if (!drop[i]) {
                dims[j++] = original.dim(i);
            }
        }
        return reduced.view(Shape.of(dims));
    }

    /** Sums a broadcast gradient back to {@code shape}; returns {@code g} itself when no reduction is needed. */
    static Tensor sumTo(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) {
            return g;
        }
        Tensor out = Tensor.empty(g.backend(), shape);
        g.backend().reduceSumTo(g, out);
        return out;
    }

    // Untracked kernels for use inside backward functions.

    static Tensor raw(Backend be, BinaryOp op, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(be, Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape()));
        be.binary(op, a, b, out);
        return out;
    }

    static Tensor raw(Backend be, UnaryOp op, Tensor x) {
        Tensor out = Tensor.empty(be, x.shape());
        be.unary(op, x, out);
        return out;
    }

    static Tensor raw(Backend be, ScalarOp op, Tensor x, float s) {
        Tensor out = Tensor.empty(be, x.shape());
        be.scalar(op, x, s, out);
        return out;
    }
}
