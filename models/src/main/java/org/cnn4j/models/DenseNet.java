package org.cnn4j.models;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's DenseNet-BC (Huang et al. 2017): each dense layer (BN-ReLU-1x1 conv to {@code bnSize * growth},
 * BN-ReLU-3x3 conv to {@code growth}) sees the concatenation of all earlier outputs of its block; transitions
 * halve channels and resolution. Keys {@code features.denseblock1.denselayer1.norm1.weight},
 * {@code features.transition1.conv.weight}, {@code classifier.weight}; torchvision's init (kaiming-normal convs,
 * zero linear bias). {@code dropRate} is torchvision's (0 in every builder, so no dropout layer exists).
 */
public final class DenseNet extends Module {
    private final Sequential features;
    private final Linear classifier;

    public DenseNet(int growthRate, int[] blockConfig, int numInitFeatures, int bnSize, int numClasses,
                    int inChannels) {
        Sequential f = new Sequential()
                .add("conv0", new Conv2d(inChannels, numInitFeatures, 7, 7, ConvSpec.of(2, 3), false))
                .add("norm0", new BatchNorm2d(numInitFeatures))
                .add("relu0", new ReLU())
                .add("pool0", new MaxPool2d(3, 2, 1));
        int numFeatures = numInitFeatures;
        for (int i = 0; i < blockConfig.length; i++) {
            f.add("denseblock" + (i + 1), new DenseBlock(blockConfig[i], numFeatures, bnSize, growthRate));
            numFeatures += blockConfig[i] * growthRate;
            if (i != blockConfig.length - 1) {
                f.add("transition" + (i + 1), transition(numFeatures, numFeatures / 2));
                numFeatures /= 2;
            }
        }
        f.add("norm5", new BatchNorm2d(numFeatures));
        features = registerModule("features", f);
        classifier = registerModule("classifier", new Linear(numFeatures, numClasses));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
            } else if (m instanceof Linear l) {
                Init.zeros(l.bias());
            }
        }
    }

    /** BN, ReLU, 1x1 conv to {@code out} channels, 2x2 average pool. */
    private static Sequential transition(int in, int out) {
        return new Sequential()
                .add("norm", new BatchNorm2d(in))
                .add("relu", new ReLU())
                .add("conv", new Conv2d(in, out, 1, 1, ConvSpec.of(1, 0), false))
                .add("pool", new AvgPool2d(2, 2, 0));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Activations.relu(features.call(x));
        return classifier.call(Pooling.adaptiveAvgPool2d(out, 1, 1).flatten(1));
    }

    /** A block's layers, each fed the concatenation of the block input and every earlier layer's output. */
    public static final class DenseBlock extends Module {
        private final List<DenseLayer> layers = new ArrayList<>();

        public DenseBlock(int numLayers, int numInputFeatures, int bnSize, int growthRate) {
            for (int i = 0; i < numLayers; i++) {
                layers.add(registerModule("denselayer" + (i + 1),
                        new DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize)));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            List<Tensor> features = new ArrayList<>(List.of(x));
            for (DenseLayer layer : layers) {
                features.add(layer.forwardList(features));
            }
            Tensor out = Shapes.concat(1, features.toArray(Tensor[]::new));
            if (!out.requiresGrad()) { // no graph holds the layer outputs: free them now, not at scope end
                features.subList(1, features.size()).forEach(Tensor::close);
            }
            return out;
        }
    }

    /** BN-ReLU-1x1 conv (bottleneck), BN-ReLU-3x3 conv producing {@code growthRate} new channels. */
    public static final class DenseLayer extends Module {
        private final BatchNorm2d norm1, norm2;
        private final ReLU relu1, relu2;
        private final Conv2d conv1, conv2;

        public DenseLayer(int numInputFeatures, int growthRate, int bnSize) {
            norm1 = registerModule("norm1", new BatchNorm2d(numInputFeatures));
            relu1 = registerModule("relu1", new ReLU());
            conv1 = registerModule("conv1",
                    new Conv2d(numInputFeatures, bnSize * growthRate, 1, 1, ConvSpec.of(1, 0), false));
            norm2 = registerModule("norm2", new BatchNorm2d(bnSize * growthRate));
            relu2 = registerModule("relu2", new ReLU());
            conv2 = registerModule("conv2",
                    new Conv2d(bnSize * growthRate, growthRate, 3, 3, ConvSpec.of(1, 1), false));
        }

        /** The layer on the concatenation of {@code inputs} (torchvision's list-taking forward). */
        Tensor forwardList(List<Tensor> inputs) {
            if (inputs.size() == 1) {
                return call(inputs.get(0));
            }
            Tensor concatenated = Shapes.concat(1, inputs.toArray(Tensor[]::new));
            Tensor out = call(concatenated);
            if (!out.requiresGrad()) {
                concatenated.close();
            }
            return out;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor bottleneck = conv1.call(relu1.call(norm1.call(x)));
            return conv2.call(relu2.call(norm2.call(bottleneck)));
        }
    }

    private static DenseNet densenet(int growthRate, int[] blocks, int numInitFeatures, ModelOptions o) {
        return new DenseNet(growthRate, blocks, numInitFeatures, 4, o.numClassesOr(1000), o.inChannelsOr(3));
    }

    public static DenseNet densenet121(ModelOptions o) {
        return densenet(32, new int[] {6, 12, 24, 16}, 64, o);
    }

    public static DenseNet densenet161(ModelOptions o) {
        return densenet(48, new int[] {6, 12, 36, 24}, 96, o);
    }

    public static DenseNet densenet169(ModelOptions o) {
        return densenet(32, new int[] {6, 12, 32, 32}, 64, o);
    }

    public static DenseNet densenet201(ModelOptions o) {
        return densenet(32, new int[] {6, 12, 48, 32}, 64, o);
    }
}
