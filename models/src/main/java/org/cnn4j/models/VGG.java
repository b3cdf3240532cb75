package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's VGG (Simonyan and Zisserman 2014): configurations A, B, D, E (11, 13, 16, 19 weight layers), with
 * or without batch norm; keys {@code features.N.*}, {@code classifier.0/3/6.*}; torchvision's init.
 */
public final class VGG extends Module {
    /** Channel counts per conv; {@code M} marks a 2x2 max pool. */
    private static final int M = -1;
    static final int[] CFG_A = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] CFG_B = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] CFG_D = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    static final int[] CFG_E = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512,
        512, M};

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public VGG(Sequential features, int numClasses, float dropout) {
        this.features = registerModule("features", features);
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        classifier = registerModule("classifier", new Sequential(
                new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(dropout),
                new Linear(4096, 4096), new ReLU(), new Dropout(dropout),
                new Linear(4096, numClasses)));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU);
                Init.zeros(c.bias());
            } else if (m instanceof Linear l) {
                Init.normal(l.weight(), 0, 0.01);
                Init.zeros(l.bias());
            }
        }
    }

    /** The conv/BN/ReLU/max-pool stack for a configuration. */
    static Sequential makeLayers(int[] cfg, boolean batchNorm, int inChannels) {
        Sequential layers = new Sequential();
        int in = inChannels;
        for (int v : cfg) {
            if (v == M) {
                layers.add(new MaxPool2d(2, 2, 0));
            } else {
                layers.add(new Conv2d(in, v, 3, 1, 1));
                if (batchNorm) {
                    layers.add(new BatchNorm2d(v));
                }
                layers.add(new ReLU());
                in = v;
            }
        }
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)).flatten(1));
    }

    private static VGG vgg(int[] cfg, boolean batchNorm, ModelOptions o) {
        return new VGG(makeLayers(cfg, batchNorm, o.inChannelsOr(3)), o.numClassesOr(1000), 0.5f);
    }

    public static VGG vgg11(ModelOptions o) {
        return vgg(CFG_A, false, o);
    }

    public static VGG vgg11Bn(ModelOptions o) {
        return vgg(CFG_A, true, o);
    }

    public static VGG vgg13(ModelOptions o) {
        return vgg(CFG_B, false, o);
    }

    public static VGG vgg13Bn(ModelOptions o) {
        return vgg(CFG_B, true, o);
    }

    public static VGG vgg16(ModelOptions o) {
        return vgg(CFG_D, false, o);
    }

    public static VGG vgg16Bn(ModelOptions o) {
        return vgg(CFG_D, true, o);
    }

    public static VGG vgg19(ModelOptions o) {
        return vgg(CFG_E, false, o);
    }

    public static VGG vgg19Bn(ModelOptions o) {
        return vgg(CFG_E, true, o);
    }
}
