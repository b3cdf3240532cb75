package org.cnn4j.models;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's ResNet (v1.5: the stride of a downsampling bottleneck is on its 3x3 conv), with its layer order,
 * bias flags, initialisation and state_dict keys ({@code layer1.0.conv1.weight}, {@code layer1.0.downsample.0.weight}).
 * {@code groups}/{@code widthPerGroup} give ResNeXt and wide ResNets, as in torchvision.
 */
public final class ResNet extends Module {
    /** The residual block type and its channel expansion. */
    public enum Block {
        BASIC(1), BOTTLENECK(4);

        final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private final Block block;
    private final int groups;
    private final int baseWidth;
    private int inplanes = 64;

    public ResNet(Block block, int[] layers, int numClasses, int inChannels, boolean zeroInitResidual, int groups,
                  int widthPerGroup) {
        if (layers.length != 4) {
            throw new IllegalArgumentException("ResNet: expected 4 stage depths, got " + layers.length);
        }
        this.block = block;
        this.groups = groups;
        this.baseWidth = widthPerGroup;
        conv1 = registerModule("conv1", new Conv2d(inChannels, 64, 7, 7, ConvSpec.of(2, 3), false));
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        layer1 = registerModule("layer1", makeLayer(64, layers[0], 1));
        layer2 = registerModule("layer2", makeLayer(128, layers[1], 2));
        layer3 = registerModule("layer3", makeLayer(256, layers[2], 2));
        layer4 = registerModule("layer4", makeLayer(512, layers[3], 2));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(512 * block.expansion, numClasses));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU);
            }
        }
        // BatchNorm2d already starts at weight 1, bias 0, as torchvision sets them.
        if (zeroInitResidual) {
            for (Module m : namedModules().values()) {
                if (m instanceof Bottleneck b) {
                    Init.zeros(b.bn3.parameter("weight"));
                } else if (m instanceof BasicBlock b) {
                    Init.zeros(b.bn2.parameter("weight"));
                }
            }
        }
    }

    static Conv2d conv3x3(int in, int out, int stride, int groups) {
        return new Conv2d(in, out, 3, 3, ConvSpec.of(stride, 1, 1, groups), false);
    }

    static Conv2d conv1x1(int in, int out, int stride) {
        return new Conv2d(in, out, 1, 1, ConvSpec.of(stride, 0), false);
    }

    private Sequential makeLayer(int planes, int blocks, int stride) {
        Module downsample = null;
        if (stride != 1 || inplanes != planes * block.expansion) {
            downsample = new Sequential(conv1x1(inplanes, planes * block.expansion, stride),
                    new BatchNorm2d(planes * block.expansion));
        }
        Sequential layer = new Sequential();
        layer.add(newBlock(inplanes, planes, stride, downsample));
        inplanes = planes * block.expansion;
        for (int i = 1; i < blocks; i++) {
            layer.add(newBlock(inplanes, planes, 1, null));
        }
        return layer;
    }

    private Module newBlock(int in, int planes, int stride, Module downsample) {
        return block == Block.BASIC ? new BasicBlock(in, planes, stride, downsample, groups, baseWidth)
                : new Bottleneck(in, planes, stride, downsample, groups, baseWidth);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = maxpool.call(relu.call(bn1.call(conv1.call(x))));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return fc.call(avgpool.call(x).flatten(1));
    }

    /** Two 3x3 convs with an identity (or downsample) shortcut: ResNet-18/34. */
    public static final class BasicBlock extends Module {
        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;
        private final ReLU relu;
        private final Module downsample;

        public BasicBlock(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth) {
            if (groups != 1 || baseWidth != 64) {
                throw new IllegalArgumentException("BasicBlock only supports groups=1 and base_width=64, got groups="
                        + groups + " base_width=" + baseWidth);
            }
            conv1 = registerModule("conv1", conv3x3(inplanes, planes, stride, 1));
            bn1 = registerModule("bn1", new BatchNorm2d(planes));
            relu = registerModule("relu", new ReLU());
            conv2 = registerModule("conv2", conv3x3(planes, planes, 1, 1));
            bn2 = registerModule("bn2", new BatchNorm2d(planes));
            this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = relu.call(bn1.call(conv1.call(x)));
            out = bn2.call(conv2.call(out));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return relu.call(out.add(identity));
        }
    }

    /** 1x1 reduce, 3x3 (carrying the stride, v1.5), 1x1 expand by 4: ResNet-50/101/152. */
    public static final class Bottleneck extends Module {
        private final Conv2d conv1, conv2, conv3;
        private final BatchNorm2d bn1, bn2, bn3;
        private final ReLU relu;
        private final Module downsample;

        public Bottleneck(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth) {
            int width = (int) (planes * (baseWidth / 64.0)) * groups;
            conv1 = registerModule("conv1", conv1x1(inplanes, width, 1));
            bn1 = registerModule("bn1", new BatchNorm2d(width));
            conv2 = registerModule("conv2", conv3x3(width, width, stride, groups));
            bn2 = registerModule("bn2", new BatchNorm2d(width));
            conv3 = registerModule("conv3", conv1x1(width, planes * 4, 1));
            bn3 = registerModule("bn3", new BatchNorm2d(planes * 4));
            relu = registerModule("relu", new ReLU());
            this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = relu.call(bn1.call(conv1.call(x)));
            out = relu.call(bn2.call(conv2.call(out)));
            out = bn3.call(conv3.call(out));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return relu.call(out.add(identity));
        }
    }

    private static ResNet resnet(Block block, int[] layers, ModelOptions o, int groups, int widthPerGroup) {
        return new ResNet(block, layers, o.numClassesOr(1000), o.inChannelsOr(3), o.zeroInitResidual(), groups,
                widthPerGroup);
    }

    public static ResNet resnet18(ModelOptions o) {
        return resnet(Block.BASIC, new int[] {2, 2, 2, 2}, o, 1, 64);
    }

    public static ResNet resnet34(ModelOptions o) {
        return resnet(Block.BASIC, new int[] {3, 4, 6, 3}, o, 1, 64);
    }

    public static ResNet resnet50(ModelOptions o) {
        return resnet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, o, 1, 64);
    }

    public static ResNet resnet101(ModelOptions o) {
        return resnet(Block.BOTTLENECK, new int[] {3, 4, 23, 3}, o, 1, 64);
    }

    public static ResNet resnet152(ModelOptions o) {
        return resnet(Block.BOTTLENECK, new int[] {3, 8, 36, 3}, o, 1, 64);
    }

    public static ResNet resnext50_32x4d(ModelOptions o) {
        return resnet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, o, 32, 4);
    }

    public static ResNet wideResnet50_2(ModelOptions o) {
        return resnet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, o, 1, 128);
    }
}
