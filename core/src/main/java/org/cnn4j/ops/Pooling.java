package org.cnn4j.ops;

import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Max, average and adaptive-average 2-D pooling over [N,C,H,W], with PyTorch semantics. */
public final class Pooling {
    private Pooling() {
    }

    public static Tensor pool2d(Tensor x, PoolSpec spec) {
        String op = spec.mode().name().toLowerCase() + "_pool2d";
        Checks.sameBackend(op, x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected input of shape [N, C, H, W], got " + x.shape());
        }
        int p = spec.outH(x.dim(2)), q = spec.outW(x.dim(3));
        if (p < 1 || q < 1) {
            throw new IllegalArgumentException(op + ": kernel " + spec.kernelH() + "x" + spec.kernelW()
                    + " is larger than the padded input " + (x.dim(2) + 2 * spec.padH()) + "x"
                    + (x.dim(3) + 2 * spec.padW()) + " (input " + x.shape() + ")");
        }
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, Shape.of(x.dim(0), x.dim(1), p, q));
        be.pool2dForward(x, y, spec);
        return Autograd.record(y, op, Map.of("spec", spec), new Tensor[] {x}, g -> {
            Tensor dx = Tensor.empty(be, x.shape());
            be.pool2dBackward(x, y, g, dx, spec);
            return new Tensor[] {dx};
        });
    }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool2d(x, PoolSpec.max(kernel, stride, padding));
    }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool2d(x, PoolSpec.avg(kernel, stride, padding));
    }

    /** Averages over PyTorch's adaptive bins to an {@code outH x outW} output. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Checks.sameBackend("adaptive_avg_pool2d", x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: expected input of shape [N, C, H, W], got "
                    + x.shape());
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output size must be positive, got "
                    + outH + "x" + outW);
        }
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, Shape.of(x.dim(0), x.dim(1), outH, outW));
        be.adaptiveAvgPool2dForward(x, y);
        return Autograd.record(y, "adaptive_avg_pool2d", new Tensor[] {x}, g -> {
            Tensor dx = Tensor.empty(be, x.shape());
            be.adaptiveAvgPool2dBackward(g, dx);
            return new Tensor[] {dx};
        });
    }
}
