package org.cnn4j.ops;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Classification losses with PyTorch semantics. */
public final class Losses {
    private Losses() {
    }

    /** Mean cross-entropy of logits [N, C] against class indices, no smoothing. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return crossEntropy(logits, labels, Reduction.MEAN, 0f);
    }

    /** {@code torch.nn.functional.cross_entropy(logits, labels, reduction, label_smoothing)}. */
    public static Tensor crossEntropy(Tensor logits, int[] labels, Reduction reduction, float labelSmoothing) {
        Checks.sameBackend("cross_entropy", logits);
        Checks.rank("cross_entropy", "logits [N, C]", logits, 2);
        Tensor logp = Activations.logSoftmax(logits);
        Tensor out = nllLoss(logp, labels, reduction, labelSmoothing);
        if (!logp.requiresGrad()) {
            logp.close();
        }
        return out;
    }

    /**
     * Cross-entropy against soft targets {@code targets} (N rows of C class probabilities, row-major), PyTorch's
     * {@code cross_entropy(logits, probabilities, reduction, label_smoothing)}: per row
     * {@code -sum_c t'_c * log_softmax(logits)_c} with {@code t' = (1 - s) * t + s / C}. Made of differentiable
     * ops, so its gradient {@code softmax(logits) * sum_c t'_c - t'} comes from theirs.
     */
    public static Tensor softCrossEntropy(Tensor logits, float[] targets, Reduction reduction, float labelSmoothing) {
        Checks.sameBackend("soft_cross_entropy", logits);
        Checks.rank("soft_cross_entropy", "logits [N, C]", logits, 2);
        int n = logits.dim(0), c = logits.dim(1);
        if (targets.length != (long) n * c) {
            throw new IllegalArgumentException("soft_cross_entropy: logits are " + n + "x" + c + " but there are "
                    + targets.length + " target values (expected " + (long) n * c + ")");
        }
        if (labelSmoothing < 0f || labelSmoothing > 1f) {
            throw new IllegalArgumentException("soft_cross_entropy: label smoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        float[] smoothed = new float[targets.length];
        for (int i = 0; i < targets.length; i++) {
            smoothed[i] = (1 - labelSmoothing) * targets[i] + labelSmoothing / c;
        }
        Tensor target = Tensor.of(logits.backend(), smoothed, Shape.of(n, c));
        Tensor logp = Activations.logSoftmax(logits);
        Tensor perSample = Arithmetic.neg(Arithmetic.sum(Arithmetic.mul(logp, target), new int[] {1}, false));
        return switch (reduction) {
            case NONE -> perSample;
            case SUM -> Arithmetic.sum(perSample);
            case MEAN -> Arithmetic.mean(perSample);
        };
    }

    /** Negative log-likelihood of log-probabilities [N, C]; with smoothing, PyTorch's label-smoothed form. */
    public static Tensor nllLoss(Tensor logProbs, int[] labels, Reduction reduction, float labelSmoothing) {
        Checks.rank("nll_loss", "log-probabilities [N, C]", logProbs, 2);
        int n = logProbs.dim(0), c = logProbs.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("nll_loss: " + n + " rows of predictions but " + labels.length
                    + " labels");
        }
        float[] asFloat = new float[n];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("nll_loss: label " + labels[i] + " at position " + i
                        + " is outside [0, " + c + ")");
            }
            asFloat[i] = labels[i];
        }
        if (labelSmoothing < 0f || labelSmoothing > 1f) {
            throw new IllegalArgumentException("nll_loss: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        Backend be = logProbs.backend();
        Tensor labelT = Tensor.of(be, asFloat, Shape.of(n));
        Tensor losses = Tensor.empty(be, Shape.of(n));
        be.nllLossForward(logProbs, labelT, labelSmoothing, losses);
        Tensor perSample = Autograd.record(losses, "nll_loss", new Tensor[] {logProbs}, g -> {
            Tensor d = Tensor.empty(be, logProbs.shape());
            be.nllLossBackward(labelT, labelSmoothing, g, d);
            return new Tensor[] {d};
        }, labelT);
        Tensor result = switch (reduction) {
            case NONE -> perSample;
            case SUM -> Arithmetic.sum(perSample);
            case MEAN -> Arithmetic.mean(perSample);
        };
        if (result != perSample && !perSample.requiresGrad()) {
            perSample.close();
        }
        return result;
    }
}
