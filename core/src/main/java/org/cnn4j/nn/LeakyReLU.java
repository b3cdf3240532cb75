package org.cnn4j.nn;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.LeakyReLU}: x for x >= 0, slope * x otherwise (default slope 0.01). */
public class LeakyReLU extends Module {
    private final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.leakyRelu(x, negativeSlope);
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
