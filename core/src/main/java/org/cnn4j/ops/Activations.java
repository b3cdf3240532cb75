package org.cnn4j.ops;

import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Pointwise activations and (log-)softmax over the last axis, with autograd. */
public final class Activations {
    private Activations() {
    }

    public static Tensor relu(Tensor x) {
        return activation(Activation.RELU, 0f, x);
    }

    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return activation(Activation.LEAKY_RELU, negativeSlope, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return activation(Activation.SIGMOID, 0f, x);
    }

    public static Tensor tanh(Tensor x) {
        return activation(Activation.TANH, 0f, x);
    }

    public static Tensor gelu(Tensor x) {
        return activation(Activation.GELU, 0f, x);
    }

    public static Tensor silu(Tensor x) {
        return activation(Activation.SILU, 0f, x);
    }

    public static Tensor hardswish(Tensor x) {
        return activation(Activation.HARDSWISH, 0f, x);
    }

    public static Tensor hardsigmoid(Tensor x) {
        return activation(Activation.HARDSIGMOID, 0f, x);
    }

    public static Tensor relu6(Tensor x) {
        return activation(Activation.RELU6, 0f, x);
    }

    /** The error function (ONNX's Erf). */
    public static Tensor erf(Tensor x) {
        return activation(Activation.ERF, 0f, x);
    }

    public static Tensor activation(Activation act, float alpha, Tensor x) {
        String op = act.name().toLowerCase();
        Checks.sameBackend(op, x);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.shape());
        be.activationForward(act, alpha, x, y);
        return Autograd.record(y, op, Map.of("alpha", alpha), new Tensor[] {x}, g -> {
            Tensor dx = Tensor.empty(be, x.shape());
            be.activationBackward(act, alpha, x, y, g, dx);
            return new Tensor[] {dx};
        });
    }

    /** Softmax over the last axis. */
    public static Tensor softmax(Tensor x) {
        return softmax(x, false);
    }

    /** Log-softmax over the last axis (numerically stable). */
    public static Tensor logSoftmax(Tensor x) {
        return softmax(x, true);
    }

    private static Tensor softmax(Tensor x, boolean log) {
        String op = log ? "log_softmax" : "softmax";
        Checks.sameBackend(op, x);
        if (x.rank() < 1 || x.numel() == 0) {
            throw new IllegalArgumentException(op + ": expected a non-empty tensor with at least one axis, got "
                    + x.shape());
        }
        Backend be = x.backend();
        int cols = x.dim(-1);
        Shape rows2d = Shape.of((int) (x.numel() / cols), cols);
        Tensor x2 = x.view(rows2d);
        Tensor y2 = Tensor.empty(be, rows2d);
        be.softmaxForward(log, x2, y2);
        x2.close();
        Tensor y = y2.view(x.shape());
        y2.close();
        return Autograd.record(y, op, new Tensor[] {x}, g -> {
            Tensor yv = y.view(rows2d);
            Tensor gv = g.view(rows2d);
            Tensor dx = Tensor.empty(be, rows2d);
            be.softmaxBackward(log, yv, gv, dx);
            yv.close();
            gv.close();
            Tensor out = dx.view(x.shape());
            dx.close();
            return new Tensor[] {out};
        });
    }
}
