package org.cnn4j.ops;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Argument checks shared by ops; messages name the op, what was expected and what was given. */
final class Checks {
    private Checks() {
    }

    static void sameBackend(String op, Tensor... tensors) {
        Tensor first = null;
        for (Tensor t : tensors) {
            if (t == null) {
                continue;
            }
            if (t.isClosed()) {
                throw new IllegalStateException(op + ": input " + t.shape() + " has already been freed");
            }
            if (first == null) {
                first = t;
            } else if (t.backend() != first.backend()) {
                throw new IllegalArgumentException(op + ": inputs are on different backends (" + first.backend().name()
                        + " and " + t.backend().name() + "); move them with tensor.to(backend)");
            }
        }
    }

    static void rank(String op, String what, Tensor t, int expected) {
        if (t.rank() != expected) {
            throw new IllegalArgumentException(op + ": expected " + what + " of rank " + expected + ", got shape "
                    + t.shape());
        }
    }

    static void shape(String op, String what, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": expected " + what + " of shape " + expected + ", got "
                    + t.shape());
        }
    }
}
