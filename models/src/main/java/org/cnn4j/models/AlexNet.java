package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's AlexNet (the "one weird trick" variant, 64-192-384-256-256 channels), PyTorch's default layer
 * init, keys {@code features.0/3/6/8/10.*} and {@code classifier.1/4/6.*}. Needs inputs of at least 63x63.
 */
public final class AlexNet extends Module {
    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public AlexNet(int numClasses, int inChannels, float dropout) {
        features = registerModule("features", new Sequential(
                new Conv2d(inChannels, 64, 11, 4, 2), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(64, 192, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(192, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2, 0)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(),
                new Dropout(dropout), new Linear(4096, 4096), new ReLU(),
                new Linear(4096, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)).flatten(1));
    }

    public static AlexNet alexnet(ModelOptions o) {
        return new AlexNet(o.numClassesOr(1000), o.inChannelsOr(3), 0.5f);
    }
}
