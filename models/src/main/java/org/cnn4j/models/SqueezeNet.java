package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's SqueezeNet 1.0 and 1.1 (Iandola et al. 2016): Fire modules (1x1 squeeze, then 1x1 and 3x3
 * expands concatenated), ceil-mode max pools, and a 1x1 conv classifier averaged over space. Keys
 * {@code features.N.squeeze.weight}, {@code classifier.1.weight}; torchvision's init (kaiming-uniform convs,
 * N(0, 0.01) final conv, zero biases).
 */
public final class SqueezeNet extends Module {
    private final Sequential features;
    private final Sequential classifier;

    public SqueezeNet(String version, int numClasses, int inChannels, float dropout) {
        Sequential f = new Sequential();
        if (version.equals("1_0")) {
            f.add(new Conv2d(inChannels, 96, 7, 2, 0)).add(new ReLU()).add(pool())
                    .add(new Fire(96, 16, 64, 64)).add(new Fire(128, 16, 64, 64)).add(new Fire(128, 32, 128, 128))
                    .add(pool())
                    .add(new Fire(256, 32, 128, 128)).add(new Fire(256, 48, 192, 192))
                    .add(new Fire(384, 48, 192, 192)).add(new Fire(384, 64, 256, 256))
                    .add(pool())
                    .add(new Fire(512, 64, 256, 256));
        } else if (version.equals("1_1")) {
            f.add(new Conv2d(inChannels, 64, 3, 2, 0)).add(new ReLU()).add(pool())
                    .add(new Fire(64, 16, 64, 64)).add(new Fire(128, 16, 64, 64))
                    .add(pool())
                    .add(new Fire(128, 32, 128, 128)).add(new Fire(256, 32, 128, 128))
                    .add(pool())
                    .add(new Fire(256, 48, 192, 192)).add(new Fire(384, 48, 192, 192))
                    .add(new Fire(384, 64, 256, 256)).add(new Fire(512, 64, 256, 256));
        } else {
            throw new IllegalArgumentException("Unsupported SqueezeNet version " + version + ": 1_0 or 1_1 expected");
        }
        features = registerModule("features", f);
        Conv2d finalConv = new Conv2d(512, numClasses, 1, 1, 0);
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout), finalConv, new ReLU(),
                new AdaptiveAvgPool2d(1, 1)));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                if (c == finalConv) {
                    Init.normal(c.weight(), 0, 0.01);
                } else {
                    Init.kaimingUniform(c.weight(), 0, Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
                }
                Init.zeros(c.bias());
            }
        }
    }

    private static MaxPool2d pool() {
        return new MaxPool2d(3, 2, 0, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(features.call(x)).flatten(1);
    }

    /** Squeeze to few channels with a 1x1 conv, expand with parallel 1x1 and 3x3 convs, concatenate. */
    public static final class Fire extends Module {
        private final Conv2d squeeze, expand1x1, expand3x3;
        private final ReLU squeezeActivation, expand1x1Activation, expand3x3Activation;

        public Fire(int inplanes, int squeezePlanes, int expand1x1Planes, int expand3x3Planes) {
            squeeze = registerModule("squeeze", new Conv2d(inplanes, squeezePlanes, 1, 1, 0));
            squeezeActivation = registerModule("squeeze_activation", new ReLU());
            expand1x1 = registerModule("expand1x1", new Conv2d(squeezePlanes, expand1x1Planes, 1, 1, 0));
            expand1x1Activation = registerModule("expand1x1_activation", new ReLU());
            expand3x3 = registerModule("expand3x3", new Conv2d(squeezePlanes, expand3x3Planes, 3, 1, 1));
            expand3x3Activation = registerModule("expand3x3_activation", new ReLU());
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor s = squeezeActivation.call(squeeze.call(x));
            return Shapes.concat(1, expand1x1Activation.call(expand1x1.call(s)),
                    expand3x3Activation.call(expand3x3.call(s)));
        }
    }

    public static SqueezeNet squeezenet1_0(ModelOptions o) {
        return new SqueezeNet("1_0", o.numClassesOr(1000), o.inChannelsOr(3), 0.5f);
    }

    public static SqueezeNet squeezenet1_1(ModelOptions o) {
        return new SqueezeNet("1_1", o.numClassesOr(1000), o.inChannelsOr(3), 0.5f);
    }
}
