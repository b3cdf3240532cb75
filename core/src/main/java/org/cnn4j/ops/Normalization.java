package org.cnn4j.ops;

import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Batch normalisation over [N,C,H,W] or [N,C], as {@code torch.nn.functional.batch_norm}. */
public final class Normalization {
    private Normalization() {
    }

    /**
     * In training, normalises with batch statistics and updates {@code runningMean}/{@code runningVar} in place
     * (unbiased variance, {@code momentum} as PyTorch's); in eval, uses the running statistics.
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   boolean training, float momentum, float eps) {
        Checks.sameBackend("batch_norm", x, gamma, beta, runningMean, runningVar);
        if (x.rank() != 4 && x.rank() != 2) {
            throw new IllegalArgumentException("batch_norm: expected input of shape [N, C, H, W] or [N, C], got "
                    + x.shape());
        }
        int c = x.dim(1);
        Shape cs = Shape.of(c);
        Checks.shape("batch_norm", "weight", gamma, cs);
        Checks.shape("batch_norm", "bias", beta, cs);
        Checks.shape("batch_norm", "running_mean", runningMean, cs);
        Checks.shape("batch_norm", "running_var", runningVar, cs);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.shape());
        if (!training) {
            be.batchNormForwardInference(x, gamma, beta, runningMean, runningVar, eps, y);
            Map<String, Object> stats = Map.of("running_mean", runningMean, "running_var", runningVar, "eps", eps);
            return Autograd.record(y, "batch_norm_eval", stats, new Tensor[] {x, gamma, beta},
                    g -> evalBackward(be, x, gamma, runningMean, runningVar, eps, g));
        }
        long perChannel = x.numel() / c;
        if (perChannel < 2) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training,"
                    + " got input of shape " + x.shape());
        }
        Tensor saveMean = Tensor.empty(be, cs);
        Tensor saveInvStd = Tensor.empty(be, cs);
        be.batchNormForwardTraining(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean,
                saveInvStd);
        return Autograd.record(y, "batch_norm", new Tensor[] {x, gamma, beta}, g -> {
            Tensor dx = Tensor.empty(be, x.shape());
            Tensor dgamma = Tensor.empty(be, cs);
            Tensor dbeta = Tensor.empty(be, cs);
            be.batchNormBackward(x, g, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);
            return new Tensor[] {dx, dgamma, dbeta};
        }, saveMean, saveInvStd);
    }

    /** Eval mode is an affine map per channel: y = (x - rm) * gamma / sqrt(rv + eps) + beta. */
    private static Tensor[] evalBackward(Backend be, Tensor x, Tensor gamma, Tensor rm, Tensor rv, float eps,
                                         Tensor g) {
        int c = x.dim(1);
        Shape bshape = x.rank() == 4 ? Shape.of(1, c, 1, 1) : Shape.of(1, c);
        Tensor invStd = Arithmetic.raw(be, ScalarOp.ADD, rv, eps);
        be.unary(UnaryOp.SQRT, invStd, invStd);
        be.scalar(ScalarOp.RDIV, invStd, 1f, invStd);
        Tensor scale = Arithmetic.raw(be, BinaryOp.MUL, gamma, invStd);
        Tensor scaleB = scale.view(bshape);
        Tensor dx = Arithmetic.raw(be, BinaryOp.MUL, g, scaleB);
        Tensor gB = Tensor.empty(be, bshape);
        be.reduceSumTo(g, gB);
        Tensor dbeta = gB.view(Shape.of(c));
        Tensor rmB = rm.view(bshape);
        Tensor xc = Arithmetic.raw(be, BinaryOp.SUB, x, rmB);
        Tensor invB = invStd.view(bshape);
        be.binary(BinaryOp.MUL, xc, invB, xc);
        be.binary(BinaryOp.MUL, xc, g, xc);
        Tensor dgammaB = Tensor.empty(be, bshape);
        be.reduceSumTo(xc, dgammaB);
        Tensor dgamma = dgammaB.view(Shape.of(c));
        for (Tensor t : new Tensor[] {invStd, scale, scaleB, gB, rmB, xc, invB, dgammaB}) {
            t.close();
        }
        return new Tensor[] {dx, dgamma, dbeta};
    }
}
