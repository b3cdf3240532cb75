package org.cnn4j.nn;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.GELU} (exact, erf-based). */
public class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.gelu(x);
    }
}
