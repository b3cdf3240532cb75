package org.cnn4j.optim;

import java.util.List;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Reductions over every gradient of a parameter list, computed on the device with one read back to the host. */
public final class Gradients {
    private Gradients() {
    }

    /** An element-wise map from a gradient into a tensor of its shape, run on the gradient's backend. */
    @FunctionalInterface
    public interface ElementMap {
        void apply(Backend backend, Tensor grad, Tensor out);
    }

    /**
     * The sum over all gradients of {@code map(g)} (parameters without a gradient are skipped; 0 when none has
     * one), accumulated on the device and read back once.
     */
    public static double sum(List<Tensor> params, ElementMap map) {
        Tensor total = null;
        try {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g == null) {
                    continue;
                }
                Backend be = g.backend();
                if (total == null) {
                    total = Tensor.zeros(be, Shape.of(1));
                }
                try (Tensor mapped = Tensor.empty(be, g.shape()); Tensor part = Tensor.empty(be, Shape.of(1))) {
                    map.apply(be, g, mapped);
                    be.reduceSumTo(mapped, part);
                    be.binary(BinaryOp.ADD, total, part, total);
                }
            }
            return total == null ? 0 : total.item();
        } finally {
            if (total != null) {
                total.close();
            }
        }
    }
}
