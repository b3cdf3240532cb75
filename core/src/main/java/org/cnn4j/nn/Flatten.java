package org.cnn4j.nn;

import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.Flatten}: merges axes {@code startDim..end} (default 1: keep the batch axis). */
public class Flatten extends Module {
    private final int startDim;

    public Flatten() {
        this(1);
    }

    public Flatten(int startDim) {
        this.startDim = startDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Shapes.flatten(x, startDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim;
    }
}
