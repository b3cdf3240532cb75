package org.cnn4j.ops;

import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** 2-D convolution (cross-correlation, as PyTorch) with stride, padding, dilation and groups. */
public final class Convolution {
    private Convolution() {
    }

    /** x [N,C,H,W], weight [K, C/groups, R, S], bias [K] or null -> [N, K, P, Q]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvSpec spec) {
        Shape outShape = outputShape(x.shape(), weight.shape(), bias == null ? null : bias.shape(), spec);
        Checks.sameBackend("conv2d", x, weight, bias);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, outShape);
        be.conv2dForward(x, weight, y, spec);
        if (bias != null) {
            Tensor b4 = bias.view(Shape.of(1, bias.dim(0), 1, 1));
            be.binary(BinaryOp.ADD, y, b4, y);
            b4.close();
        }
        return Autograd.record(y, "conv2d", Map.of("spec", spec), new Tensor[] {x, weight, bias}, g -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = Tensor.empty(be, x.shape());
                be.conv2dBackwardData(g, weight, dx, spec);
            }
            if (weight.requiresGrad()) {
                dw = Tensor.empty(be, weight.shape());
                be.conv2dBackwardFilter(x, g, dw, spec);
            }
            if (bias != null && bias.requiresGrad()) {
                db = Tensor.empty(be, bias.shape());
                be.conv2dBackwardBias(g, db);
            }
            return new Tensor[] {dx, dw, db};
        });
    }

    /** Validates the arguments and returns the output shape; every message names conv2d and the shapes. */
    public static Shape outputShape(Shape x, Shape w, Shape bias, ConvSpec spec) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("conv2d: expected input of shape [N, C, H, W], got " + x);
        }
        if (w.rank() != 4) {
            throw new IllegalArgumentException("conv2d: expected weight of shape [K, C/groups, R, S], got " + w);
        }
        int c = x.dim(1), k = w.dim(0), g = spec.groups();
        if (c % g != 0 || k % g != 0) {
            throw new IllegalArgumentException("conv2d: groups=" + g + " must divide both input channels (" + c
                    + ") and output channels (" + k + ")");
        }
        if (w.dim(1) * g != c) {
            throw new IllegalArgumentException("conv2d: input has " + c + " channels (shape " + x + ") but weight "
                    + w + " with groups=" + g + " expects " + (w.dim(1) * g));
        }
        if (bias != null && !bias.equals(Shape.of(k))) {
            throw new IllegalArgumentException("conv2d: expected bias of shape [" + k + "], got " + bias);
        }
        int effR = spec.dilationH() * (w.dim(2) - 1) + 1, effS = spec.dilationW() * (w.dim(3) - 1) + 1;
        int padded = x.dim(2) + 2 * spec.padH(), paddedW = x.dim(3) + 2 * spec.padW();
        if (effR > padded || effS > paddedW) {
            throw new IllegalArgumentException("conv2d: kernel " + w.dim(2) + "x" + w.dim(3) + " (dilated "
                    + effR + "x" + effS + ") is larger than the padded input " + padded + "x" + paddedW
                    + " (input " + x + ", padding " + spec.padH() + "x" + spec.padW() + ")");
        }
        return Shape.of(x.dim(0), k, spec.outH(x.dim(2), w.dim(2)), spec.outW(x.dim(3), w.dim(3)));
    }
}
