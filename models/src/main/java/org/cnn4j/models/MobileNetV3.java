package org.cnn4j.models;

import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Hardsigmoid;
import org.cnn4j.nn.Hardswish;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's MobileNet V3 large and small (Howard et al. 2019): inverted residuals with 3x3 or 5x5 depthwise
 * convs, ReLU or Hardswish, squeeze-and-excitation gated by Hardsigmoid; batch norm with eps 0.001 and momentum
 * 0.01. Keys {@code features.1.block.1.fc1.weight}, {@code classifier.3.weight}; torchvision's init
 * (kaiming-normal fan-out convs, linear N(0, 0.01), zero biases).
 */
public final class MobileNetV3 extends Module {
    /** One block: input, kernel, expanded and output channels, SE, Hardswish (else ReLU), stride. */
    record Block(int in, int kernel, int expanded, int out, boolean se, boolean hardswish, int stride) {
    }

    private static final IntFunction<Module> NORM = c -> new BatchNorm2d(c, 0.001f, 0.01f);

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public MobileNetV3(Block[] setting, int lastChannel, int numClasses, float dropout, int inChannels) {
        Sequential f = new Sequential(new Conv2dNormActivation(inChannels, setting[0].in(), 3, 2, 1, NORM,
                Hardswish::new, 1));
        for (Block b : setting) {
            f.add(new InvertedResidual(b));
        }
        int lastIn = setting[setting.length - 1].out();
        int lastOut = 6 * lastIn;
        f.add(new Conv2dNormActivation(lastIn, lastOut, 1, 1, 1, NORM, Hardswish::new, 1));
        features = registerModule("features", f);
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        classifier = registerModule("classifier", new Sequential(new Linear(lastOut, lastChannel), new Hardswish(),
                new Dropout(dropout), new Linear(lastChannel, numClasses)));
        ZooInit.kaimingFanOutConvs(this, ZooInit.normalLinear(0.01));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)).flatten(1));
    }

    /** Expand (1x1, when wider), depthwise k x k carrying the stride, optional SE, project (1x1, linear). */
    public static final class InvertedResidual extends Module {
        private final boolean residual;
        private final Sequential block;

        InvertedResidual(Block b) {
            residual = b.stride() == 1 && b.in() == b.out();
            Supplier<Module> activation = b.hardswish() ? Hardswish::new : ReLU::new;
            Sequential layers = new Sequential();
            if (b.expanded() != b.in()) {
                layers.add(new Conv2dNormActivation(b.in(), b.expanded(), 1, 1, 1, NORM, activation, 1));
            }
            layers.add(new Conv2dNormActivation(b.expanded(), b.expanded(), b.kernel(), b.stride(), b.expanded(),
                    NORM, activation, 1));
            if (b.se()) {
                layers.add(new SqueezeExcitation(b.expanded(), Widths.makeDivisible(b.expanded() / 4, 8),
                        ReLU::new, Hardsigmoid::new));
            }
            layers.add(new Conv2dNormActivation(b.expanded(), b.out(), 1, 1, 1, NORM, null, 1));
            block = registerModule("block", layers);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor result = block.call(x);
            return residual ? result.add(x) : result;
        }
    }

    private static Block b(int in, int k, int exp, int out, boolean se, String act, int stride) {
        return new Block(in, k, exp, out, se, act.equals("HS"), stride);
    }

    public static MobileNetV3 mobilenet_v3_large(ModelOptions o) {
        Block[] setting = {
            b(16, 3, 16, 16, false, "RE", 1), b(16, 3, 64, 24, false, "RE", 2), b(24, 3, 72, 24, false, "RE", 1),
            b(24, 5, 72, 40, true, "RE", 2), b(40, 5, 120, 40, true, "RE", 1), b(40, 5, 120, 40, true, "RE", 1),
            b(40, 3, 240, 80, false, "HS", 2), b(80, 3, 200, 80, false, "HS", 1), b(80, 3, 184, 80, false, "HS", 1),
            b(80, 3, 184, 80, false, "HS", 1), b(80, 3, 480, 112, true, "HS", 1), b(112, 3, 672, 112, true, "HS", 1),
            b(112, 5, 672, 160, true, "HS", 2), b(160, 5, 960, 160, true, "HS", 1),
            b(160, 5, 960, 160, true, "HS", 1)};
        return new MobileNetV3(setting, 1280, o.numClassesOr(1000), 0.2f, o.inChannelsOr(3));
    }

    public static MobileNetV3 mobilenet_v3_small(ModelOptions o) {
        Block[] setting = {
            b(16, 3, 16, 16, true, "RE", 2), b(16, 3, 72, 24, false, "RE", 2), b(24, 3, 88, 24, false, "RE", 1),
            b(24, 5, 96, 40, true, "HS", 2), b(40, 5, 240, 40, true, "HS", 1), b(40, 5, 240, 40, true, "HS", 1),
            b(40, 5, 120, 48, true, "HS", 1), b(48, 5, 144, 48, true, "HS", 1), b(48, 5, 288, 96, true, "HS", 2),
            b(96, 5, 576, 96, true, "HS", 1), b(96, 5, 576, 96, true, "HS", 1)};
        return new MobileNetV3(setting, 1024, o.numClassesOr(1000), 0.2f, o.inChannelsOr(3));
    }
}
