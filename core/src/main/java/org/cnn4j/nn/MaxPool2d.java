package org.cnn4j.nn;

import org.cnn4j.backend.PoolSpec;
import org.cnn4j.ops.Pooling;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.MaxPool2d} (square kernel; stride defaults to the kernel size). */
public class MaxPool2d extends Module {
    private final PoolSpec spec;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false);
    }

    public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
        this.spec = PoolSpec.max(kernel, stride, padding).withCeilMode(ceilMode);
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
        return "kernel_size=" + spec.kernelH() + ", stride=" + spec.strideH() + ", padding=" + spec.padH()
                + ", ceil_mode=" + spec.ceilMode();
    }
}
