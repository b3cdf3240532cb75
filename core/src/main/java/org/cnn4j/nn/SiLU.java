package org.cnn4j.nn;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.SiLU}: SiLU / swish, {@code x * sigmoid(x)}. */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.silu(x);
    }
}
