package org.cnn4j.models;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.ChannelShuffle;
import org.cnn4j.ops.Shapes;
import org.cnn4j.ops.Slicing;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's ShuffleNet V2 (Ma et al. 2018): units that split the channels in two (or, when downsampling, feed
 * both branches the whole input), run a 1x1 / depthwise 3x3 / 1x1 branch, concatenate and shuffle the channels.
 * Keys {@code stage2.0.branch1.0.weight}, {@code conv5.0.weight}, {@code fc.weight}; PyTorch's default init (the
 * torchvision class sets none of its own).
 */
public final class ShuffleNetV2 extends Module {
    private final Sequential conv1;
    private final MaxPool2d maxpool;
    private final Sequential stage2, stage3, stage4;
    private final Sequential conv5;
    private final Linear fc;

    public ShuffleNetV2(int[] stagesRepeats, int[] stagesOutChannels, int numClasses, int inChannels) {
        if (stagesRepeats.length != 3 || stagesOutChannels.length != 5) {
            throw new IllegalArgumentException("ShuffleNetV2: expected 3 stage repeats and 5 output channel counts,"
                    + " got " + stagesRepeats.length + " and " + stagesOutChannels.length);
        }
        int out = stagesOutChannels[0];
        conv1 = registerModule("conv1", new Sequential(new Conv2d(inChannels, out, 3, 3, ConvSpec.of(2, 1), false),
                new BatchNorm2d(out), new ReLU()));
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        int in = out;
        Sequential[] stages = new Sequential[3];
        for (int s = 0; s < 3; s++) {
            out = stagesOutChannels[s + 1];
            Sequential stage = new Sequential(new InvertedResidual(in, out, 2));
            for (int i = 1; i < stagesRepeats[s]; i++) {
                stage.add(new InvertedResidual(out, out, 1));
            }
            stages[s] = registerModule("stage" + (s + 2), stage);
            in = out;
        }
        stage2 = stages[0];
        stage3 = stages[1];
        stage4 = stages[2];
        out = stagesOutChannels[4];
        conv5 = registerModule("conv5", new Sequential(new Conv2d(in, out, 1, 1, ConvSpec.of(1, 0), false),
                new BatchNorm2d(out), new ReLU()));
        fc = registerModule("fc", new Linear(out, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = maxpool.call(conv1.call(x));
        x = conv5.call(stage4.call(stage3.call(stage2.call(x))));
        return fc.call(Arithmetic.mean(x, new int[] {2, 3}, false));
    }

    static Conv2d depthwiseConv(int channels, int stride) {
        return new Conv2d(channels, channels, 3, 3, new ConvSpec(stride, stride, 1, 1, 1, 1, channels), false);
    }

    static Conv2d conv1x1(int in, int out) {
        return new Conv2d(in, out, 1, 1, ConvSpec.of(1, 0), false);
    }

    /** A ShuffleNet V2 unit: branch1 (downsampling only) and branch2, concatenated and shuffled in 2 groups. */
    public static final class InvertedResidual extends Module {
        private final int stride;
        private final Sequential branch1, branch2;

        public InvertedResidual(int inp, int oup, int stride) {
            if (stride < 1 || stride > 3) {
                throw new IllegalArgumentException("ShuffleNetV2 unit: illegal stride value " + stride);
            }
            int branchFeatures = oup / 2;
            if (stride == 1 && inp != branchFeatures * 2) {
                throw new IllegalArgumentException("ShuffleNetV2 unit: with stride 1 the input channels (" + inp
                        + ") must equal 2 * (output channels / 2) = " + branchFeatures * 2);
            }
            this.stride = stride;
            branch1 = registerModule("branch1", stride > 1
                    ? new Sequential(depthwiseConv(inp, stride), new BatchNorm2d(inp),
                            conv1x1(inp, branchFeatures), new BatchNorm2d(branchFeatures), new ReLU())
                    : new Sequential());
            branch2 = registerModule("branch2", new Sequential(
                    conv1x1(stride > 1 ? inp : branchFeatures, branchFeatures), new BatchNorm2d(branchFeatures),
                    new ReLU(),
                    depthwiseConv(branchFeatures, stride), new BatchNorm2d(branchFeatures),
                    conv1x1(branchFeatures, branchFeatures), new BatchNorm2d(branchFeatures), new ReLU()));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out;
            if (stride == 1) {
                Tensor[] halves = Slicing.split(x, 1, x.dim(1) / 2, x.dim(1) / 2);
                out = Shapes.concat(1, halves[0], branch2.call(halves[1]));
            } else {
                out = Shapes.concat(1, branch1.call(x), branch2.call(x));
            }
            return ChannelShuffle.channelShuffle(out, 2);
        }
    }

    private static ShuffleNetV2 shufflenet(int[] out, ModelOptions o) {
        return new ShuffleNetV2(new int[] {4, 8, 4}, out, o.numClassesOr(1000), o.inChannelsOr(3));
    }

    public static ShuffleNetV2 shufflenet_v2_x0_5(ModelOptions o) {
        return shufflenet(new int[] {24, 48, 96, 192, 1024}, o);
    }

    public static ShuffleNetV2 shufflenet_v2_x1_0(ModelOptions o) {
        return shufflenet(new int[] {24, 116, 232, 464, 1024}, o);
    }

    public static ShuffleNetV2 shufflenet_v2_x1_5(ModelOptions o) {
        return shufflenet(new int[] {24, 176, 352, 704, 1024}, o);
    }

    public static ShuffleNetV2 shufflenet_v2_x2_0(ModelOptions o) {
        return shufflenet(new int[] {24, 244, 488, 976, 2048}, o);
    }
}
