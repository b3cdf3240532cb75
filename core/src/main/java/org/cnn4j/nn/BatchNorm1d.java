package org.cnn4j.nn;

import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.BatchNorm1d} over [N, C] or [N, C, L]: the same parameters, buffers and statistics as
 * {@link BatchNorm2d}, which it runs on the input viewed as [N, C, 1, L] (one statistic per channel over N and L,
 * as PyTorch).
 */
public class BatchNorm1d extends BatchNorm2d {

    public BatchNorm1d(int numFeatures) {
        super(numFeatures);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum) {
        super(numFeatures, eps, momentum);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 && x.rank() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected input of shape [N, C] or [N, C, L], got "
                    + x.shape());
        }
        if (x.dim(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm1d(" + numFeatures() + "): input has " + x.dim(1)
                    + " channels (shape " + x.shape() + ")");
        }
        int length = x.rank() == 3 ? x.dim(2) : 1;
        Tensor x4 = Shapes.reshape(x, x.dim(0), x.dim(1), 1, length);
        Tensor y4 = super.forward(x4);
        Tensor y = Shapes.reshape(y4, x.shape().dims());
        if (!y.requiresGrad()) {
            x4.close();
            y4.close();
        }
        return y;
    }
}
