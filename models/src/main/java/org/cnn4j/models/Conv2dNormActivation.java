package org.cnn4j.models;

import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;

/**
 * torchvision's {@code ops.Conv2dNormActivation}: a conv with "same" padding {@code (k-1)/2 * dilation}, a norm
 * layer and an activation, as a Sequential with keys {@code 0.weight}, {@code 1.running_mean}, ... The conv has a
 * bias only when there is no norm layer; a null norm or activation is left out.
 */
public class Conv2dNormActivation extends Sequential {

    /** With BatchNorm2d (eps 1e-5, momentum 0.1) and dilation 1. */
    public Conv2dNormActivation(int in, int out, int kernel, int stride, int groups, Supplier<Module> activation) {
        this(in, out, kernel, stride, groups, BatchNorm2d::new, activation, 1);
    }

    public Conv2dNormActivation(int in, int out, int kernel, int stride, int groups, IntFunction<Module> norm,
                                Supplier<Module> activation, int dilation) {
        int padding = (kernel - 1) / 2 * dilation;
        add(new Conv2d(in, out, kernel, kernel, ConvSpec.of(stride, padding, dilation, groups), norm == null));
        if (norm != null) {
            add(norm.apply(out));
        }
        if (activation != null) {
            add(activation.get());
        }
    }
}
