package org.cnn4j.nn;

import org.cnn4j.backend.PoolSpec.PoolMode;
import org.cnn4j.ops.OneD;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.AvgPool1d} over [N, C, L] (stride defaults to the kernel size; padding counted by default). */
public class AvgPool1d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool1d(int kernel) {
        this(kernel, kernel, 0, false, true);
    }

    public AvgPool1d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        OneD.checkPool("AvgPool1d", kernel, stride, padding);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return OneD.pool1d(x, PoolMode.AVG, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=(" + kernel + ",), stride=(" + stride + ",), padding=(" + padding + ",)";
    }
}
