package org.cnn4j.nn;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.ops.Convolution;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.Conv2d}: weight [out, in/groups, kH, kW], optional bias [out], PyTorch's default init
 * (kaiming_uniform with a = sqrt 5; bias U(+-1/sqrt(fan_in))).
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelH;
    private final int kernelW;
    private final ConvSpec spec;

    /** Square kernel, with bias, no dilation, one group. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, kernel, ConvSpec.of(stride, padding), true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, ConvSpec spec, boolean bias) {
        checkShape("Conv2d", inChannels, outChannels, kernelH, kernelW, spec);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.spec = spec;
        var be = Backends.current();
        Tensor w = registerParameter("weight",
                Tensor.empty(be, Shape.of(outChannels, inChannels / spec.groups(), kernelH, kernelW)));
        Tensor b = bias ? registerParameter("bias", Tensor.empty(be, Shape.of(outChannels))) : null;
        Init.defaultLayerInit(w, b);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Convolution.conv2d(x, weight(), bias(), spec);
    }

    /** The checks every convolution layer makes of its settings ({@code layer} names it in the message). */
    static void checkShape(String layer, int inChannels, int outChannels, int kernelH, int kernelW, ConvSpec spec) {
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException(layer + ": channels and kernel must be positive, got in=" + inChannels
                    + " out=" + outChannels + " kernel=" + kernelH + "x" + kernelW);
        }
        if (inChannels % spec.groups() != 0 || outChannels % spec.groups() != 0) {
            throw new IllegalArgumentException(layer + ": groups=" + spec.groups() + " must divide in (" + inChannels
                    + ") and out (" + outChannels + ") channels");
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernelH() {
        return kernelH;
    }

    public int kernelW() {
        return kernelW;
    }

    public ConvSpec spec() {
        return spec;
    }

    @Override
    public String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelH + ", " + kernelW + "), stride=("
                + spec.strideH() + ", " + spec.strideW() + "), padding=(" + spec.padH() + ", " + spec.padW() + ")"
                + (spec.dilationH() != 1 || spec.dilationW() != 1
                        ? ", dilation=(" + spec.dilationH() + ", " + spec.dilationW() + ")" : "")
                + (spec.groups() != 1 ? ", groups=" + spec.groups() : "")
                + (hasParameter("bias") ? "" : ", bias=False");
    }
}
