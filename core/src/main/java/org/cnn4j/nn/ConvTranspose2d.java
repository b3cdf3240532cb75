package org.cnn4j.nn;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.ops.ConvTranspose;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.ConvTranspose2d}: weight [in, out/groups, kH, kW], optional bias [out], PyTorch's default init
 * (kaiming_uniform with a = sqrt 5 on the weight's fan-in, which for this layout is out/groups * kH * kW, as
 * PyTorch computes it). Stride, padding, dilation and groups are a {@link ConvSpec}; the output padding is separate.
 */
public class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final ConvSpec spec;
    private final int outputPadH;
    private final int outputPadW;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelH, int kernelW, ConvSpec spec, int outputPadH,
                           int outputPadW, boolean bias) {
        Conv2d.checkShape("ConvTranspose2d", inChannels, outChannels, kernelH, kernelW, spec);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.spec = spec;
        this.outputPadH = outputPadH;
        this.outputPadW = outputPadW;
        var be = Backends.current();
        Tensor w = registerParameter("weight",
                Tensor.empty(be, Shape.of(inChannels, outChannels / spec.groups(), kernelH, kernelW)));
        Tensor b = bias ? registerParameter("bias", Tensor.empty(be, Shape.of(outChannels))) : null;
        Init.defaultLayerInit(w, b);
    }

    @Override
    public Tensor forward(Tensor x) {
        return ConvTranspose.convTranspose2d(x, weight(), bias(), spec, outputPadH, outputPadW);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    public ConvSpec spec() {
        return spec;
    }

    @Override
    public String extraRepr() {
        Shape w = weight().shape();
        return inChannels + ", " + outChannels + ", kernel_size=(" + w.dim(2) + ", " + w.dim(3) + "), stride=("
                + spec.strideH() + ", " + spec.strideW() + "), padding=(" + spec.padH() + ", " + spec.padW()
                + "), output_padding=(" + outputPadH + ", " + outputPadW + "), dilation=(" + spec.dilationH() + ", "
                + spec.dilationW() + "), groups=" + spec.groups() + ", bias=" + (bias() != null);
    }
}
