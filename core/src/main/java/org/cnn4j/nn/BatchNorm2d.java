package org.cnn4j.nn;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.ops.Normalization;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.BatchNorm2d} with affine parameters and running statistics: weight (ones), bias (zeros),
 * buffers running_mean (zeros), running_var (ones) and num_batches_tracked (a scalar counted up by each
 * training forward, saved as an integer).
 */
public class BatchNorm2d extends Module {

    /**
     * Training-mode batch normalisation with batch statistics wider than this process's batch (e.g. synchronised
     * across the ranks of a data-parallel job); same arguments and in-place running-statistics update as
     * {@link Normalization#batchNorm} with {@code training} set.
     */
    @FunctionalInterface
    public interface TrainingNorm {
        Tensor apply(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, float momentum,
                     float eps);
    }

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private TrainingNorm trainingNorm;

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum) {
        if (numFeatures < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: expected numFeatures >= 1, eps > 0 and momentum in"
                    + " [0, 1], got " + numFeatures + ", " + eps + ", " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        Backend be = Backends.current();
        Shape c = Shape.of(numFeatures);
        registerParameter("weight", Tensor.full(be, c, 1f));
        registerParameter("bias", Tensor.zeros(be, c));
        registerBuffer("running_mean", Tensor.zeros(be, c));
        registerBuffer("running_var", Tensor.full(be, c, 1f));
        registerBuffer("num_batches_tracked", Tensor.zeros(be, Shape.scalar()));
        markIntegerBuffer("num_batches_tracked");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("BatchNorm2d: expected input of shape [N, C, H, W], got " + x.shape());
        }
        if (x.dim(1) != numFeatures) {
            throw new IllegalArgumentException("BatchNorm2d(" + numFeatures + "): input has " + x.dim(1)
                    + " channels (shape " + x.shape() + ")");
        }
        boolean training = isTraining();
        Tensor y = training && trainingNorm != null
                ? trainingNorm.apply(x, parameter("weight"), parameter("bias"), buffer("running_mean"),
                        buffer("running_var"), momentum, eps)
                : Normalization.batchNorm(x, parameter("weight"), parameter("bias"), buffer("running_mean"),
                        buffer("running_var"), training, momentum, eps);
        if (training) {
            Tensor count = buffer("num_batches_tracked");
            count.backend().scalar(ScalarOp.ADD, count, 1f, count);
        }
        return y;
    }

    /**
     * Replaces training-mode normalisation with {@code norm} (null: this batch's own statistics, the default);
     * evaluation always uses the running statistics. The parameters, buffers and state-dict keys stay the same, so
     * the layer can be switched in place in any model (see {@code org.cnn4j.distributed.SyncBatchNorm}).
     */
    public void setTrainingNorm(TrainingNorm norm) {
        this.trainingNorm = norm;
    }

    /** The replacement set by {@link #setTrainingNorm}, or null. */
    public TrainingNorm trainingNorm() {
        return trainingNorm;
    }

    public int numFeatures() {
        return numFeatures;
    }

    public float eps() {
        return eps;
    }

    public float momentum() {
        return momentum;
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum
                + (trainingNorm != null ? ", synchronised" : "");
    }
}
