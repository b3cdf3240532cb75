package org.cnn4j.ops;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Matrix products: {@code matmul} of 2-D tensors and the fully connected layer {@code y = x W^T + b}. */
public final class MatMul {
    private MatMul() {
    }

    /** [m,k] x [k,n] -> [m,n]. */
    public static Tensor matmul(Tensor a, Tensor b) {
        Checks.sameBackend("matmul", a, b);
        Checks.rank("matmul", "left operand", a, 2);
        Checks.rank("matmul", "right operand", b, 2);
        if (a.dim(1) != b.dim(0)) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + " x " + b.shape());
        }
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        Backend be = a.backend();
        Tensor out = Tensor.empty(be, Shape.of(m, n));
        be.gemm(false, false, m, n, k, 1f, a, b, 0f, out);
        return Autograd.record(out, "matmul", new Tensor[] {a, b}, g -> {
            Tensor da = null, db = null;
            if (a.requiresGrad()) {
                da = Tensor.empty(be, a.shape());
                be.gemm(false, true, m, k, n, 1f, g, b, 0f, da);
            }
            if (b.requiresGrad()) {
                db = Tensor.empty(be, b.shape());
                be.gemm(true, false, k, n, m, 1f, a, g, 0f, db);
            }
            return new Tensor[] {da, db};
        });
    }

    /** x [N, in], weight [out, in], bias [out] or null -> [N, out]. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Checks.sameBackend("linear", x, weight, bias);
        Checks.rank("linear", "input", x, 2);
        Checks.rank("linear", "weight", weight, 2);
        if (x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("linear: input has " + x.dim(1) + " features (shape " + x.shape()
                    + ") but the weight " + weight.shape() + " expects " + weight.dim(1));
        }
        if (bias != null) {
            Checks.shape("linear", "bias", bias, Shape.of(weight.dim(0)));
        }
        int n = x.dim(0), in = x.dim(1), outF = weight.dim(0);
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, Shape.of(n, outF));
        be.gemm(false, true, n, outF, in, 1f, x, weight, 0f, out);
        if (bias != null) {
            be.binary(BinaryOp.ADD, out, bias, out);
        }
        return Autograd.record(out, "linear", new Tensor[] {x, weight, bias}, g -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = Tensor.empty(be, x.shape());
                be.gemm(false, false, n, in, outF, 1f, g, weight, 0f, dx);
            }
            if (weight.requiresGrad()) {
                dw = Tensor.empty(be, weight.shape());
                be.gemm(true, false, outF, in, n, 1f, g, x, 0f, dw);
            }
            if (bias != null && bias.requiresGrad()) {
                db = Tensor.empty(be, bias.shape());
                be.reduceSumTo(g, db);
            }
            return new Tensor[] {dx, dw, db};
        });
    }
}
