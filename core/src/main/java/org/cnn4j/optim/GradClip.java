package org.cnn4j.optim;

import java.util.Arrays;
import java.util.List;

import org.cnn4j.backend.Backend;
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
     * gradient are skipped. The norm is reduced on the device; one scalar per gradient comes back to the host.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be > 0, got " + maxNorm);
        }
        double sumSquares = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                sumSquares += squaredNorm(g);
            }
        }
        double norm = Math.sqrt(sumSquares);
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

    private static double squaredNorm(Tensor g) {
        Backend be = g.backend();
        int[] ones = new int[g.rank()];
        Arrays.fill(ones, 1);
        try (Tensor sq = Tensor.empty(be, g.shape()); Tensor total = Tensor.empty(be, Shape.of(ones))) {
            be.unary(UnaryOp.SQUARE, g, sq);
            be.reduceSumTo(sq, total);
            return total.item();
        }
    }
}
