package org.cnn4j.models;

import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The default Fashion-MNIST model, small enough to train on two CPU cores: input 1x28x28,
 * conv(32, 3x3, pad 1)-BN-ReLU-maxpool 2 -> conv(64, 3x3, pad 1)-BN-ReLU-maxpool 2 -> flatten ->
 * linear(64*7*7, 128)-ReLU-dropout(0.25) -> linear(128, numClasses). 421,834 parameters and 4.24 M
 * multiply-accumulates per image (conv1 0.23 M, conv2 3.61 M, fc1 0.40 M). For other square inputs of side s
 * (CIFAR's 32, an image folder's size) the first linear layer takes 64*(s/4)^2 features.
 */
public final class FmnistCnn extends Module {
    private final Sequential features;
    private final Sequential classifier;

    public FmnistCnn(int numClasses, int inChannels) {
        this(numClasses, inChannels, 28);
    }

    /** For square inputs of side {@code inputSize} (at least 4: two 2x2 poolings must leave a pixel). */
    public FmnistCnn(int numClasses, int inChannels, int inputSize) {
        if (inputSize < 4) {
            throw new IllegalArgumentException("fmnist_cnn needs inputs of at least 4x4 pixels, got " + inputSize);
        }
        int side = inputSize / 2 / 2;
        features = registerModule("features", new Sequential(
                new Conv2d(inChannels, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2, 2, 0),
                new Conv2d(32, 64, 3, 1, 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2, 2, 0)));
        classifier = registerModule("classifier", new Sequential(
                new Flatten(), new Linear(64 * side * side, 128), new ReLU(), new Dropout(0.25f),
                new Linear(128, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(features.call(x));
    }

    public static FmnistCnn fmnistCnn(ModelOptions o) {
        return new FmnistCnn(o.numClassesOr(10), o.inChannelsOr(1), o.inputSizeOr(28));
    }
}
