package org.cnn4j.models;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU6;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's MobileNet V2 (Sandler et al. 2018): inverted residual blocks (1x1 expansion, 3x3 depthwise conv,
 * linear 1x1 projection; ReLU6 activations; a residual when shape allows). Keys {@code features.1.conv.0.0.weight},
 * {@code features.18.0.weight}, {@code classifier.1.weight}; torchvision's init (kaiming-normal fan-out convs,
 * linear N(0, 0.01), zero biases).
 */
public final class MobileNetV2 extends Module {
    private static final int[][] SETTING = { // expansion t, channels c, repeats n, first stride s
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private final Sequential features;
    private final Sequential classifier;

    public MobileNetV2(int numClasses, double widthMult, float dropout, int inChannels) {
        int input = Widths.makeDivisible(32 * widthMult, 8);
        int last = Widths.makeDivisible(1280 * Math.max(1.0, widthMult), 8);
        Sequential f = new Sequential(new Conv2dNormActivation(inChannels, input, 3, 2, 1, ReLU6::new));
        for (int[] s : SETTING) {
            int output = Widths.makeDivisible(s[1] * widthMult, 8);
            for (int i = 0; i < s[2]; i++) {
                f.add(new InvertedResidual(input, output, i == 0 ? s[3] : 1, s[0]));
                input = output;
            }
        }
        f.add(new Conv2dNormActivation(input, last, 1, 1, 1, ReLU6::new));
        features = registerModule("features", f);
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout), new Linear(last, numClasses)));
        ZooInit.kaimingFanOutConvs(this, ZooInit.normalLinear(0.01));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(Pooling.adaptiveAvgPool2d(features.call(x), 1, 1).flatten(1));
    }

    /** Expand (1x1, when t > 1), depthwise 3x3 carrying the stride, project (1x1, no activation); x + that. */
    public static final class InvertedResidual extends Module {
        private final boolean residual;
        private final Sequential conv;

        public InvertedResidual(int inp, int oup, int stride, int expandRatio) {
            if (stride != 1 && stride != 2) {
                throw new IllegalArgumentException("MobileNetV2 block: stride should be 1 or 2, got " + stride);
            }
            int hidden = (int) Math.round(inp * (double) expandRatio);
            residual = stride == 1 && inp == oup;
            Sequential layers = new Sequential();
            if (expandRatio != 1) {
                layers.add(new Conv2dNormActivation(inp, hidden, 1, 1, 1, ReLU6::new));
            }
            layers.add(new Conv2dNormActivation(hidden, hidden, 3, stride, hidden, ReLU6::new))
                    .add(new Conv2d(hidden, oup, 1, 1, ConvSpec.of(1, 0), false))
                    .add(new BatchNorm2d(oup));
            conv = registerModule("conv", layers);
        }

        @Override
        public Tensor forward(Tensor x) {
            return residual ? x.add(conv.call(x)) : conv.call(x);
        }
    }

    public static MobileNetV2 mobilenet_v2(ModelOptions o) {
        return new MobileNetV2(o.numClassesOr(1000), 1.0, 0.2f, o.inChannelsOr(3));
    }
}
