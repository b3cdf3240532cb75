package org.cnn4j.nn;

import org.cnn4j.ops.OneD;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.AdaptiveMaxPool1d}: the maximum of each of {@code outputSize} bins of [N, C, L]. */
public class AdaptiveMaxPool1d extends Module {
    private final int outputSize;

    public AdaptiveMaxPool1d(int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("AdaptiveMaxPool1d: output size must be positive, got " + outputSize);
        }
        this.outputSize = outputSize;
    }

    @Override
    public Tensor forward(Tensor x) {
        return OneD.adaptiveMaxPool1d(x, outputSize);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + outputSize;
    }
}
