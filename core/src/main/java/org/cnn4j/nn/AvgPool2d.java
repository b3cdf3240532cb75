package org.cnn4j.nn;

import org.cnn4j.backend.PoolSpec;
import org.cnn4j.ops.Pooling;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.AvgPool2d} (square kernel; stride defaults to the kernel size; count_include_pad true). */
public class AvgPool2d extends Module {
    private final PoolSpec spec;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false, true);
    }

    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.spec = PoolSpec.avg(kernel, stride, padding).withCeilMode(ceilMode)
                .withCountIncludePad(countIncludePad);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.pool2d(x, spec);
    }

    public PoolSpec spec() {
        return spec;
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + spec.kernelH() + ", stride=" + spec.strideH() + ", padding=" + spec.padH();
    }
}
