package org.cnn4j.ops;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Tensor;

/** Slices along one axis ({@code torch.narrow}, {@code torch.chunk}) as copies, with autograd. */
public final class Slices {
    private Slices() {
    }

    /** The slab {@code [start, start+length)} of {@code x} along {@code axis}, as a new tensor. */
    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        Checks.sameBackend("narrow", x);
        int ax = x.shape().axis(axis);
        if (start < 0 || length < 1 || start + length > x.dim(ax)) {
            throw new IllegalArgumentException("narrow: slice [" + start + ", " + (start + length) + ") is outside"
                    + " axis " + ax + " of size " + x.dim(ax) + " (shape " + x.shape() + ")");
        }
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, x.shape().withDim(ax, length));
        be.copyAlongAxis(x, start, out, 0, ax, length);
        return Autograd.record(out, "narrow", new Tensor[] {x}, g -> {
            Tensor dx = Tensor.zeros(be, x.shape());
            be.copyAlongAxis(g, 0, dx, start, ax, length);
            return new Tensor[] {dx};
        });
    }

    /** {@code torch.chunk} for an axis that {@code chunks} divides: equal consecutive slabs. */
    public static Tensor[] chunk(Tensor x, int chunks, int axis) {
        int ax = x.shape().axis(axis);
        if (chunks < 1 || x.dim(ax) % chunks != 0) {
            throw new IllegalArgumentException("chunk: " + chunks + " chunks do not divide axis " + ax + " of size "
                    + x.dim(ax) + " (shape " + x.shape() + ")");
        }
        int size = x.dim(ax) / chunks;
        Tensor[] out = new Tensor[chunks];
        for (int i = 0; i < chunks; i++) {
            out[i] = narrow(x, ax, i * size, size);
        }
        return out;
    }
}
