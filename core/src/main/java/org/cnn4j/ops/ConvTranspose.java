package org.cnn4j.ops;

import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D transposed convolution, as {@code torch.nn.functional.conv_transpose2d}: the adjoint of the convolution with the
 * same weight and {@link ConvSpec}, so it runs on the backends' convolution kernels with the roles swapped. Its
 * forward is the convolution's backward-data; its input gradient is the convolution's forward; its weight gradient is
 * the convolution's backward-filter with the output gradient as the convolution's input. No backend method of its
 * own.
 */
public final class ConvTranspose {
    private ConvTranspose() {
    }

    /**
     * x [N, C, H, W], weight [C, K/groups, R, S], bias [K] or null -> [N, K, P, Q] with
     * {@code P = (H - 1) * strideH - 2 * padH + dilationH * (R - 1) + outputPadH + 1} (Q likewise). The output
     * padding adds rows and columns at the bottom and right, and must be smaller than the stride.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvSpec spec, int outputPadH,
                                         int outputPadW) {
        Shape outShape = outputShape(x.shape(), weight.shape(), bias == null ? null : bias.shape(), spec,
                outputPadH, outputPadW);
        Checks.sameBackend("conv_transpose2d", x, weight, bias);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, outShape);
        be.conv2dBackwardData(x, weight, y, spec);
        if (bias != null) {
            Tensor b4 = bias.view(Shape.of(1, bias.dim(0), 1, 1));
            be.binary(BinaryOp.ADD, y, b4, y);
            b4.close();
        }
        Map<String, Object> settings = Map.of("spec", spec, "output_padding", new int[] {outputPadH, outputPadW});
        return Autograd.record(y, "conv_transpose2d", settings, new Tensor[] {x, weight, bias}, g -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = Tensor.empty(be, x.shape());
                be.conv2dForward(g, weight, dx, spec);
            }
            if (weight.requiresGrad()) {
                dw = Tensor.empty(be, weight.shape());
                be.conv2dBackwardFilter(g, x, dw, spec);
            }
            if (bias != null && bias.requiresGrad()) {
                db = Tensor.empty(be, bias.shape());
                be.conv2dBackwardBias(g, db);
            }
            return new Tensor[] {dx, dw, db};
        });
    }

    /** Validates the arguments and returns the output shape; every message names conv_transpose2d and the shapes. */
    public static Shape outputShape(Shape x, Shape w, Shape bias, ConvSpec spec, int outputPadH, int outputPadW) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("conv_transpose2d: expected input of shape [N, C, H, W], got " + x);
        }
        if (w.rank() != 4) {
            throw new IllegalArgumentException("conv_transpose2d: expected weight of shape [C, K/groups, R, S], got "
                    + w);
        }
        int c = x.dim(1), g = spec.groups();
        if (w.dim(0) != c || c % g != 0) {
            throw new IllegalArgumentException("conv_transpose2d: input has " + c + " channels (shape " + x
                    + ") but weight " + w + " expects " + w.dim(0) + ", and groups=" + g + " must divide them");
        }
        int k = w.dim(1) * g;
        if (bias != null && !bias.equals(Shape.of(k))) {
            throw new IllegalArgumentException("conv_transpose2d: expected bias of shape [" + k + "], got " + bias);
        }
        if (outputPadH < 0 || outputPadW < 0 || outputPadH >= spec.strideH() || outputPadW >= spec.strideW()) {
            throw new IllegalArgumentException("conv_transpose2d: output padding " + outputPadH + "x" + outputPadW
                    + " must be non-negative and smaller than the stride " + spec.strideH() + "x" + spec.strideW());
        }
        int p = (x.dim(2) - 1) * spec.strideH() - 2 * spec.padH() + spec.dilationH() * (w.dim(2) - 1) + outputPadH + 1;
        int q = (x.dim(3) - 1) * spec.strideW() - 2 * spec.padW() + spec.dilationW() * (w.dim(3) - 1) + outputPadW + 1;
        if (p < 1 || q < 1) {
            throw new IllegalArgumentException("conv_transpose2d: padding " + spec.padH() + "x" + spec.padW()
                    + " leaves no output for input " + x + " and weight " + w + " (output " + p + "x" + q + ")");
        }
        return Shape.of(x.dim(0), k, p, q);
    }
}
