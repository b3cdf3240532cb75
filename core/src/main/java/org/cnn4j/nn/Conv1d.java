package org.cnn4j.nn;

import org.cnn4j.backend.Backends;
import org.cnn4j.ops.OneD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.Conv1d} over [N, C, L]: weight [out, in/groups, k], optional bias [out], PyTorch's default init
 * (kaiming_uniform with a = sqrt 5; bias U(+-1/sqrt(fan_in)), fan_in = in/groups * k).
 */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    /** With bias, no dilation, one group. */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, 1, 1, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1
                || groups < 1) {
            throw new IllegalArgumentException("Conv1d: expected positive channels, kernel, stride, dilation and"
                    + " groups and padding >= 0, got in=" + inChannels + " out=" + outChannels + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding + " dilation=" + dilation + " groups=" + groups);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv1d: groups=" + groups + " must divide in (" + inChannels
                    + ") and out (" + outChannels + ") channels");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        var be = Backends.current();
        Tensor w = registerParameter("weight", Tensor.empty(be, Shape.of(outChannels, inChannels / groups, kernel)));
        Tensor b = bias ? registerParameter("bias", Tensor.empty(be, Shape.of(outChannels))) : null;
        Init.defaultLayerInit(w, b);
    }

    @Override
    public Tensor forward(Tensor x) {
        return OneD.conv1d(x, weight(), bias(), stride, padding, dilation, groups);
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

    public int kernel() {
        return kernel;
    }

    @Override
    public String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernel + ",), stride=(" + stride + ",)"
                + (padding != 0 ? ", padding=(" + padding + ",)" : "")
                + (dilation != 1 ? ", dilation=(" + dilation + ",)" : "")
                + (groups != 1 ? ", groups=" + groups : "")
                + (hasParameter("bias") ? "" : ", bias=False");
    }
}
