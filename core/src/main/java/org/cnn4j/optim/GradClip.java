package org.cnn4j.optim;

import java.util.List;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients in place so that their global L2 norm is at most {@code maxNorm} (by
     * {@code maxNorm / (norm + 1e-6)} when larger) and returns the norm before clipping. Parameters without a
     * gradient are skipped. The squares are summed on the device; one scalar comes back to the host.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be > 0, got " + maxNorm);
        }
        double norm = Math.sqrt(sumOfSquares(params));
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null) {
                    g.backend().scalar(ScalarOp.MUL, g, (float) coef, g);
                }
            }
        }
        return norm;
    }

    /** Sum of squares of every gradient, accumulated on the device and read back once. */
    private static double sumOfSquares(List<Tensor> params) {
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
                try (Tensor sq = Tensor.empty(be, g.shape()); Tensor part = Tensor.empty(be, Shape.of(1))) {
                    be.unary(UnaryOp.SQUARE, g, sq);
                    be.reduceSumTo(sq, part);
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
