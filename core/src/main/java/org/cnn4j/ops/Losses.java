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
