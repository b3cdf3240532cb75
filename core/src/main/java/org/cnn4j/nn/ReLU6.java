package org.cnn4j.nn;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.ReLU6}: ReLU6, {@code min(max(x, 0), 6)}. */
public class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.relu6(x);
    }
}
