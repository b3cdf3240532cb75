package org.cnn4j.nn;

import org.cnn4j.ops.OneD;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.AdaptiveAvgPool1d}: averages each channel of [N, C, L] onto {@code outputSize} bins. */
public class AdaptiveAvgPool1d extends Module {
    private final int outputSize;

    public AdaptiveAvgPool1d(int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool1d: output size must be positive, got " + outputSize);
        }
        this.outputSize = outputSize;
    }

    @Override
    public Tensor forward(Tensor x) {
        return OneD.adaptiveAvgPool1d(x, outputSize);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + outputSize;
    }
}
