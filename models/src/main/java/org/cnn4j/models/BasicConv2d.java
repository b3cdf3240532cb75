package org.cnn4j.models;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;

/**
 * GoogLeNet's and Inception v3's conv (no bias), BatchNorm2d with eps 0.001, then ReLU; keys {@code conv.weight},
 * {@code bn.*}.
 */
public final class BasicConv2d extends Module {
    private final Conv2d conv;
    private final BatchNorm2d bn;

    /** A square kernel. */
    public BasicConv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, kernel, stride, padding, padding);
    }

    /** A {@code kernelH x kernelW} kernel (Inception v3's 1x7 / 7x1 factorised convs). */
    public BasicConv2d(int in, int out, int kernelH, int kernelW, int stride, int padH, int padW) {
        conv = registerModule("conv", new Conv2d(in, out, kernelH, kernelW,
                new ConvSpec(stride, stride, padH, padW, 1, 1, 1), false));
        bn = registerModule("bn", new BatchNorm2d(out, 0.001f, 0.1f));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.relu(bn.call(conv.call(x)));
    }
}
