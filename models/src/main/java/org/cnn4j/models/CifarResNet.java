package org.cnn4j.models;

import org.cnn4j.backend.PoolSpec;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The CIFAR-10 ResNets of He et al. 2016 (section 4.2): a 3x3 conv to 16 channels, three stages of {@code n}
 * basic blocks at 16/32/64 channels (32x32, 16x16, 8x8), global average pooling and a linear layer; depth
 * {@code 6n+2} (resnet20: n=3, 0.27M parameters; resnet56: n=9, 0.85M). Shortcuts use the paper's option A:
 * identity, and where the shape changes, stride-2 subsampling plus zero-padded channels (no parameters).
 * Input: 3x32x32 (any size divisible by 4 works, the pooling is adaptive).
 */
public final class CifarResNet extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Sequential layer1, layer2, layer3;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private int inplanes = 16;

    public CifarResNet(int blocksPerStage, int numClasses, int inChannels) {
        conv1 = registerModule("conv1", ResNet.conv3x3(inChannels, 16, 1, 1));
        bn1 = registerModule("bn1", new BatchNorm2d(16));
        relu = registerModule("relu", new ReLU());
        layer1 = registerModule("layer1", makeLayer(16, blocksPerStage, 1));
        layer2 = registerModule("layer2", makeLayer(32, blocksPerStage, 2));
        layer3 = registerModule("layer3", makeLayer(64, blocksPerStage, 2));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(64, numClasses));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU);
            }
        }
    }

    private Sequential makeLayer(int planes, int blocks, int stride) {
        Sequential layer = new Sequential();
        for (int i = 0; i < blocks; i++) {
            layer.add(new Block(inplanes, planes, i == 0 ? stride : 1));
            inplanes = planes;
        }
        return layer;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = relu.call(bn1.call(conv1.call(x)));
        x = layer3.call(layer2.call(layer1.call(x)));
        return fc.call(avgpool.call(x).flatten(1));
    }

    static {
        CifarResNetOnnx.register();
    }

    /** Basic block with an option-A shortcut. */
    static final class Block extends Module {
        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;
        private final ReLU relu;
        private final int stride;
        private final int padChannels;

        Block(int inplanes, int planes, int stride) {
            conv1 = registerModule("conv1", ResNet.conv3x3(inplanes, planes, stride, 1));
            bn1 = registerModule("bn1", new BatchNorm2d(planes));
            relu = registerModule("relu", new ReLU());
            conv2 = registerModule("conv2", ResNet.conv3x3(planes, planes, 1, 1));
            bn2 = registerModule("bn2", new BatchNorm2d(planes));
            this.stride = stride;
            this.padChannels = planes - inplanes;
            if (padChannels < 0 || padChannels % 2 != 0) {
                throw new IllegalArgumentException("CifarResNet block: option-A shortcut needs planes >= inplanes"
                        + " with an even difference, got " + inplanes + " -> " + planes);
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = relu.call(bn1.call(conv1.call(x)));
            out = bn2.call(conv2.call(out));
            return relu.call(out.add(shortcut(x)));
        }

        /** x[:, :, ::s, ::s] zero-padded with (planes - inplanes)/2 channels on each side. */
        private Tensor shortcut(Tensor x) {
            if (stride == 1 && padChannels == 0) {
                return x;
            }
            Tensor sub = stride == 1 ? x : Pooling.pool2d(x, PoolSpec.avg(1, stride, 0));
            if (padChannels == 0) {
                return sub;
            }
            Shape padShape = Shape.of(sub.dim(0), padChannels / 2, sub.dim(2), sub.dim(3));
            Tensor zeros = Tensor.zeros(sub.backend(), padShape);
            Tensor out = Shapes.concat(1, zeros, sub, zeros);
            zeros.close(); // concat copied it; its backward needs only the shape
            return out;
        }
    }

    public static CifarResNet resnet20(ModelOptions o) {
        return new CifarResNet(3, o.numClassesOr(10), o.inChannelsOr(3));
    }

    public static CifarResNet resnet56(ModelOptions o) {
        return new CifarResNet(9, o.numClassesOr(10), o.inChannelsOr(3));
    }
}
