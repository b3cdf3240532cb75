package org.cnn4j.models;

import java.util.List;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AuxiliaryOutputs;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's GoogLeNet (Szegedy et al. 2015, Inception v1 with batch norm): nine Inception modules of four
 * concatenated branches, ceil-mode max pools, and two auxiliary classifiers after inception4a and inception4d that
 * run in training mode only ({@link #forwardWithAux}). Like torchvision, branch3 uses a 3x3 conv where the paper
 * has 5x5 (pytorch/vision#906), so ImageNet weights load. Keys {@code inception3a.branch2.1.conv.weight},
 * {@code aux1.fc2.weight}; torchvision's init (weights truncated N(0, 0.01^2) on [-2, 2], biases keep PyTorch's
 * default).
 */
public final class GoogLeNet extends Module implements AuxiliaryOutputs {
    /** Each auxiliary loss's weight (Szegedy et al. 2015, section 5). */
    static final double AUX_LOSS_WEIGHT = 0.3;
    private final boolean transformInput;
    private final BasicConv2d conv1, conv2, conv3;
    private final MaxPool2d maxpool1, maxpool2, maxpool3, maxpool4;
    private final Inception inception3a, inception3b, inception4a, inception4b, inception4c, inception4d,
            inception4e, inception5a, inception5b;
    private final InceptionAux aux1, aux2;
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;
    private final Linear fc;

    public GoogLeNet(int numClasses, boolean auxLogits, boolean transformInput, float dropout, float dropoutAux) {
        this.transformInput = transformInput;
        conv1 = registerModule("conv1", new BasicConv2d(3, 64, 7, 2, 3));
        maxpool1 = registerModule("maxpool1", pool(3, 2));
        conv2 = registerModule("conv2", new BasicConv2d(64, 64, 1, 1, 0));
        conv3 = registerModule("conv3", new BasicConv2d(64, 192, 3, 1, 1));
        maxpool2 = registerModule("maxpool2", pool(3, 2));
        inception3a = registerModule("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
        inception3b = registerModule("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
        maxpool3 = registerModule("maxpool3", pool(3, 2));
        inception4a = registerModule("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        inception4b = registerModule("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
        inception4c = registerModule("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
        inception4d = registerModule("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
        inception4e = registerModule("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        maxpool4 = registerModule("maxpool4", pool(2, 2));
        inception5a = registerModule("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
        inception5b = registerModule("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
        aux1 = auxLogits ? registerModule("aux1", new InceptionAux(512, numClasses, dropoutAux)) : null;
        aux2 = auxLogits ? registerModule("aux2", new InceptionAux(528, numClasses, dropoutAux)) : null;
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        fc = registerModule("fc", new Linear(1024, numClasses));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.truncNormal(c.weight(), 0, 0.01, -2, 2);
            } else if (m instanceof Linear l) {
                Init.truncNormal(l.weight(), 0, 0.01, -2, 2);
            }
        } // BatchNorm2d starts at weight 1, bias 0, as torchvision sets it
    }

    private static MaxPool2d pool(int kernel, int stride) {
        return new MaxPool2d(kernel, stride, 0, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        return run(x, false).main();
    }

    /** In training mode {@code aux2} then {@code aux1} (torchvision's GoogLeNetOutputs order), each weighted 0.3. */
    @Override
    public Outputs forwardWithAux(Tensor x) {
        return run(x, isTraining() && aux1 != null);
    }

    private Outputs run(Tensor x, boolean withAux) {
        if (transformInput) {
            x = TransformInput.apply(x);
        }
        x = maxpool2.call(conv3.call(conv2.call(maxpool1.call(conv1.call(x)))));
        x = maxpool3.call(inception3b.call(inception3a.call(x)));
        x = inception4a.call(x);
        Tensor a1 = withAux ? aux1.call(x) : null;
        x = inception4d.call(inception4c.call(inception4b.call(x)));
        Tensor a2 = withAux ? aux2.call(x) : null;
        x = maxpool4.call(inception4e.call(x));
        x = inception5b.call(inception5a.call(x));
        x = fc.call(dropout.call(avgpool.call(x).flatten(1)));
        return new Outputs(x, withAux ? List.of(new Auxiliary(a2, AUX_LOSS_WEIGHT), new Auxiliary(a1, AUX_LOSS_WEIGHT))
                : List.of());
    }

    /** Four branches concatenated: 1x1; 1x1 then 3x3; 1x1 then 3x3 (the paper's 5x5); 3x3 max pool then 1x1. */
    public static final class Inception extends Module {
        private final BasicConv2d branch1;
        private final Sequential branch2, branch3, branch4;

        public Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
            branch1 = registerModule("branch1", new BasicConv2d(in, ch1x1, 1, 1, 0));
            branch2 = registerModule("branch2", new Sequential(new BasicConv2d(in, ch3x3red, 1, 1, 0),
                    new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1)));
            branch3 = registerModule("branch3", new Sequential(new BasicConv2d(in, ch5x5red, 1, 1, 0),
                    new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1)));
            branch4 = registerModule("branch4", new Sequential(new MaxPool2d(3, 1, 1, true),
                    new BasicConv2d(in, poolProj, 1, 1, 0)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Shapes.concat(1, branch1.call(x), branch2.call(x), branch3.call(x), branch4.call(x));
        }
    }

    /** Auxiliary classifier: 4x4 adaptive average pool, 1x1 conv to 128, fc 2048 to 1024, ReLU, dropout, fc. */
    public static final class InceptionAux extends Module {
        private final BasicConv2d conv;
        private final Linear fc1, fc2;
        private final Dropout dropout;

        public InceptionAux(int in, int numClasses, float dropout) {
            conv = registerModule("conv", new BasicConv2d(in, 128, 1, 1, 0));
            fc1 = registerModule("fc1", new Linear(2048, 1024));
            fc2 = registerModule("fc2", new Linear(1024, numClasses));
            this.dropout = registerModule("dropout", new Dropout(dropout));
        }

        @Override
        public Tensor forward(Tensor x) {
            x = conv.call(Pooling.adaptiveAvgPool2d(x, 4, 4)).flatten(1);
            return fc2.call(dropout.call(Activations.relu(fc1.call(x))));
        }
    }

    /** torchvision's {@code googlenet()}: 1000 classes, auxiliary heads, no input transform. */
    public static GoogLeNet googlenet(ModelOptions o) {
        if (o.inChannelsOr(3) != 3) {
            throw new IllegalArgumentException("googlenet: only 3 input channels are supported, got "
                    + o.inChannels());
        }
        return new GoogLeNet(o.numClassesOr(1000), true, false, 0.2f, 0.7f);
    }
}
