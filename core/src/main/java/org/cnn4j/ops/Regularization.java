package org.cnn4j.ops;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.tensor.Tensor;

/** Regularisation ops: inverted dropout with a seeded, backend-independent mask. */
public final class Regularization {
    private Regularization() {
    }

    /** Zeroes each element with probability {@code p} and scales the rest by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor x, float p, boolean training, long seed) {
        if (p < 0f || p >= 1f) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        Checks.sameBackend("dropout", x);
        if (!training || p == 0f) {
            return Shapes.reshape(x, x.shape().dims());
        }
        Backend be = x.backend();
        Tensor mask = Tensor.empty(be, x.shape());
        Tensor y = Tensor.empty(be, x.shape());
        be.dropoutForward(x, p, seed, mask, y);
        return Autograd.record(y, "dropout", new Tensor[] {x}, g -> {
            Tensor dx = Tensor.empty(be, x.shape());
            be.binary(BinaryOp.MUL, g, mask, dx);
            return new Tensor[] {dx};
        }, mask);
    }
}
