package org.cnn4j.nn;

import org.cnn4j.ops.Pooling;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.AdaptiveAvgPool2d}: averages each channel onto a fixed {@code outH x outW} grid. */
public class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "x"
                    + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    public String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
