package org.cnn4j.models;

import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * LeNet-5's layout (LeCun et al. 1998): conv 5x5 to 6, pool, conv 5x5 to 16, pool, 120-84-10 fully connected
 * (61,706 parameters), with the modern ReLU and 2x2 max pooling in place of scaled tanh and trainable
 * subsampling. The registry's {@code lenet5} takes 1x28x28 (MNIST-size) input: its first conv pads by 2, which
 * gives the paper's 28x28 C1 maps. Build {@code new LeNet5(numClasses, inChannels, 0)} for the classic 32x32 input.
 * For other square inputs of side s (registry option {@code inputSize}) the first linear layer takes
 * 16*f*f features, f = ((s + 2 * padding - 4) / 2 - 4) / 2.
 */
public final class LeNet5 extends Module {
    private final Sequential features;
    private final Sequential classifier;

    public LeNet5(int numClasses, int inChannels, int conv1Padding) {
        this(numClasses, inChannels, conv1Padding, 32 - 2 * conv1Padding);
    }

    public LeNet5(int numClasses, int inChannels, int conv1Padding, int inputSize) {
        int side = ((inputSize + 2 * conv1Padding - 4) / 2 - 4) / 2;
        if (side < 1) {
            int min = 16 - 2 * conv1Padding;
            throw new IllegalArgumentException("lenet5 needs inputs of at least " + min + "x" + min + " pixels, got "
                    + inputSize);
        }
        features = registerModule("features", new Sequential(
                new Conv2d(inChannels, 6, 5, 1, conv1Padding), new ReLU(), new MaxPool2d(2, 2, 0),
                new Conv2d(6, 16, 5, 1, 0), new ReLU(), new MaxPool2d(2, 2, 0)));
        classifier = registerModule("classifier", new Sequential(
                new Flatten(), new Linear(16 * side * side, 120), new ReLU(),
                new Linear(120, 84), new ReLU(), new Linear(84, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(features.call(x));
    }

    public static LeNet5 lenet5(ModelOptions o) {
        return new LeNet5(o.numClassesOr(10), o.inChannelsOr(1), 2, o.inputSizeOr(28));
    }
}
