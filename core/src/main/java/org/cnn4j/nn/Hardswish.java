package org.cnn4j.nn;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.Hardswish}: Hardswish, {@code x * relu6(x + 3) / 6}. */
public class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.hardswish(x);
    }
}
