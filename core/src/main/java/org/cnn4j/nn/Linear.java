package org.cnn4j.nn;

import org.cnn4j.backend.Backends;
import org.cnn4j.ops.MatMul;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** {@code torch.nn.Linear}: {@code y = x W^T + b}, weight [out, in], PyTorch's default init. */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: features must be positive, got in=" + inFeatures + " out="
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        var be = Backends.current();
        Tensor w = registerParameter("weight", Tensor.empty(be, Shape.of(outFeatures, inFeatures)));
        Tensor b = bias ? registerParameter("bias", Tensor.empty(be, Shape.of(outFeatures))) : null;
        Init.defaultLayerInit(w, b);
    }

    @Override
    public Tensor forward(Tensor x) {
        return MatMul.linear(x, weight(), bias());
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + hasParameter("bias");
    }
}
