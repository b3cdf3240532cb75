package org.cnn4j.optim;

import java.util.List;

import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
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
        return Gradients.sum(params, (be, g, out) -> be.unary(UnaryOp.SQUARE, g, out));
    }
}
