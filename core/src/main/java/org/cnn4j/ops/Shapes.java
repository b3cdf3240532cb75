package org.cnn4j.ops;

import java.util.Arrays;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Reshape, flatten and concatenation, with autograd. */
public final class Shapes {
    private Shapes() {
    }

    /** A view with new dimensions; one dimension may be -1 (inferred). */
    public static Tensor reshape(Tensor x, int... dims) {
        Shape target = resolve(x.shape(), dims);
        Shape original = x.shape();
        Tensor out = x.view(target);
        return Autograd.record(out, "reshape", new Tensor[] {x}, g -> new Tensor[] {g.view(original)});
    }

    /** Flattens axes {@code startAxis..end} into one, as {@code torch.flatten(x, startAxis)}. */
    public static Tensor flatten(Tensor x, int startAxis) {
        int start = x.shape().axis(startAxis);
        int[] dims = new int[start + 1];
        for (int i = 0; i < start; i++) {
            dims[i] = x.dim(i);
        }
        dims[start] = (int) x.shape().size(start, x.rank());
        return reshape(x, dims);
    }

    private static Shape resolve(Shape from, int[] dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1, got "
                            + Arrays.toString(dims));
                }
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        int[] out = dims.clone();
        if (infer >= 0) {
            if (known == 0 || from.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + from + " into "
                        + Arrays.toString(dims));
            }
            out[infer] = (int) (from.numel() / known);
        }
        Shape s = Shape.of(out);
        if (s.numel() != from.numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + from + " (" + from.numel()
                    + " elements) into " + s + " (" + s.numel() + " elements)");
        }
        return s;
    }

    /** Concatenates along {@code axis} (channels for NCHW is axis 1); other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: expected at least one tensor");
        }
        Checks.sameBackend("concat", parts);
        Shape first = parts[0].shape();
        int ax = first.axis(axis);
        int total = 0;
        for (Tensor p : parts) {
            if (p.rank() != first.rank()) {
                throw new IllegalArgumentException("concat: all tensors need rank " + first.rank() + ", got "
                        + p.shape());
            }
            for (int d = 0; d < first.rank(); d++) {
                if (d != ax && p.dim(d) != first.dim(d)) {
                    throw new IllegalArgumentException("concat along axis " + ax + ": shapes " + first + " and "
                            + p.shape() + " differ in dimension " + d);
                }
            }
            total += p.dim(ax);
        }
        Backend be = parts[0].backend();
        Tensor out = Tensor.empty(be, first.withDim(ax, total));
        int offset = 0;
        int[] starts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            starts[i] = offset;
            be.copyAlongAxis(parts[i], 0, out, offset, ax, parts[i].dim(ax));
            offset += parts[i].dim(ax);
        }
        return Autograd.record(out, "concat", parts, g -> {
            Tensor[] grads = new Tensor[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].requiresGrad()) {
                    grads[i] = Tensor.empty(be, parts[i].shape());
                    be.copyAlongAxis(g, starts[i], grads[i], 0, ax, parts[i].dim(ax));
                }
            }
            return grads;
        });
    }
}
