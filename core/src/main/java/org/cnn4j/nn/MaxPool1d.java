package org.cnn4j.nn;

import org.cnn4j.backend.PoolSpec.PoolMode;
import org.cnn4j.ops.OneD;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.MaxPool1d} over [N, C, L] (stride defaults to the kernel size). */
public class MaxPool1d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;

    public MaxPool1d(int kernel) {
        this(kernel, kernel, 0, false);
    }

    public MaxPool1d(int kernel, int stride, int padding, boolean ceilMode) {
        OneD.checkPool("MaxPool1d", kernel, stride, padding);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return OneD.pool1d(x, PoolMode.MAX, kernel, stride, padding, ceilMode, true);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", ceil_mode=" + ceilMode;
    }
}
