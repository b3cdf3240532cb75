package org.cnn4j.models;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's RegNetX / RegNetY (Radosavovic et al. 2020): a 3x3 stem, four stages of residual bottleneck blocks
 * with grouped 3x3 convs (RegNetY adds squeeze-and-excitation), widths from the quantized linear rule. Keys
 * {@code stem.0.weight}, {@code trunk_output.block1.block1-0.f.b.0.weight}, {@code ...f.se.fc1.weight},
 * {@code fc.weight}; torchvision's init (conv N(0, 2/fan_out), linear N(0, 0.01), zero biases).
 */
public final class RegNet extends Module {
    private final Sequential stem;
    private final Sequential trunkOutput;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;

    /** One stage: output width, first-block stride, number of blocks, group width, bottleneck multiplier. */
    public record Stage(int width, int stride, int depth, int groupWidth, double bottleneckMultiplier) {
    }

    public RegNet(List<Stage> stages, double seRatio, int numClasses, int inChannels) {
        int stemWidth = 32;
        stem = registerModule("stem", new Conv2dNormActivation(inChannels, stemWidth, 3, 2, 1, ReLU::new));
        Sequential trunk = new Sequential();
        int width = stemWidth;
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            Sequential stage = new Sequential();
            for (int b = 0; b < s.depth(); b++) {
                stage.add("block" + (i + 1) + "-" + b, new ResBottleneckBlock(b == 0 ? width : s.width(), s.width(),
                        b == 0 ? s.stride() : 1, s.groupWidth(), s.bottleneckMultiplier(), seRatio));
            }
            trunk.add("block" + (i + 1), stage);
            width = s.width();
        }
        trunkOutput = registerModule("trunk_output", trunk);
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(width, numClasses));
        ZooInit.kaimingFanOutConvs(this, ZooInit.normalLinear(0.01)); // N(0, 2/fan_out) convs
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc.call(avgpool.call(trunkOutput.call(stem.call(x))).flatten(1));
    }

    /** {@code x + f(x)} (or {@code proj(x) + f(x)} when width or resolution change), then ReLU. */
    public static final class ResBottleneckBlock extends Module {
        private final Sequential proj;
        private final Sequential f;
        private final ReLU activation;

        public ResBottleneckBlock(int widthIn, int widthOut, int stride, int groupWidth, double bottleneckMultiplier,
                                  double seRatio) {
            proj = widthIn != widthOut || stride != 1
                    ? registerModule("proj", new Conv2dNormActivation(widthIn, widthOut, 1, stride, 1, null))
                    : null;
            f = registerModule("f", bottleneckTransform(widthIn, widthOut, stride, groupWidth, bottleneckMultiplier,
                    seRatio));
            activation = registerModule("activation", new ReLU());
        }

        /** 1x1 (a), grouped 3x3 carrying the stride (b), optional SE, 1x1 without activation (c). */
        private static Sequential bottleneckTransform(int widthIn, int widthOut, int stride, int groupWidth,
                                                      double bottleneckMultiplier, double seRatio) {
            int wb = (int) Math.rint(widthOut * bottleneckMultiplier);
            int groups = wb / groupWidth;
            Sequential t = new Sequential()
                    .add("a", new Conv2dNormActivation(widthIn, wb, 1, 1, 1, ReLU::new))
                    .add("b", new Conv2dNormActivation(wb, wb, 3, stride, groups, ReLU::new));
            if (seRatio > 0) {
                t.add("se", new SqueezeExcitation(wb, (int) Math.rint(seRatio * widthIn), ReLU::new, Sigmoid::new));
            }
            return t.add("c", new Conv2dNormActivation(wb, widthOut, 1, 1, 1, null));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor shortcut = proj == null ? x : proj.call(x);
            return activation.call(shortcut.add(f.call(x)));
        }
    }

    /**
     * torchvision's {@code BlockParams.from_init_params}: block widths {@code w_0 + i * w_a} snapped to
     * {@code w_0 * w_m^k} and to multiples of 8 (computed in float32 like torch), grouped into stages of equal
     * width, then made divisible by the group width.
     */
    static List<Stage> stagesFromInitParams(int depth, int w0, double wa, double wm, int groupWidth) {
        if (wa < 0 || w0 <= 0 || wm <= 1 || w0 % 8 != 0) {
            throw new IllegalArgumentException("Invalid RegNet settings: depth " + depth + " w_0 " + w0 + " w_a "
                    + wa + " w_m " + wm);
        }
        int[] blockWidths = new int[depth];
        float logWm = (float) Math.log(wm); // math.log(w_m) in double, then a float32 operand
        for (int i = 0; i < depth; i++) {
            float cont = i * (float) wa + w0;
            float capacity = (float) Math.rint((float) Math.log(cont / w0) / logWm);
            float width = w0 * (float) Math.pow((float) wm, capacity);
            blockWidths[i] = (int) (Math.rint(width / 8f) * 8);
        }
        List<Stage> stages = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= depth; i++) {
            if (i == depth || blockWidths[i] != blockWidths[i - 1]) {
                int g = Math.min(groupWidth, blockWidths[start]);
                stages.add(new Stage(Widths.makeDivisible(blockWidths[start], g), 2, i - start, g, 1.0));
                start = i;
            }
        }
        return stages;
    }

    private static RegNet regnet(int depth, int w0, double wa, double wm, int groupWidth, double seRatio,
                                 ModelOptions o) {
        return new RegNet(stagesFromInitParams(depth, w0, wa, wm, groupWidth), seRatio, o.numClassesOr(1000),
                o.inChannelsOr(3));
    }

    public static RegNet regnet_y_400mf(ModelOptions o) {
        return regnet(16, 48, 27.89, 2.09, 8, 0.25, o);
    }

    public static RegNet regnet_y_800mf(ModelOptions o) {
        return regnet(14, 56, 38.84, 2.4, 16, 0.25, o);
    }

    public static RegNet regnet_y_1_6gf(ModelOptions o) {
        return regnet(27, 48, 20.71, 2.65, 24, 0.25, o);
    }

    public static RegNet regnet_y_3_2gf(ModelOptions o) {
        return regnet(21, 80, 42.63, 2.66, 24, 0.25, o);
    }

    public static RegNet regnet_y_8gf(ModelOptions o) {
        return regnet(17, 192, 76.82, 2.19, 56, 0.25, o);
    }

    public static RegNet regnet_y_16gf(ModelOptions o) {
        return regnet(18, 200, 106.23, 2.48, 112, 0.25, o);
    }

    public static RegNet regnet_y_32gf(ModelOptions o) {
        return regnet(20, 232, 115.89, 2.53, 232, 0.25, o);
    }

    public static RegNet regnet_y_128gf(ModelOptions o) {
        return regnet(27, 456, 160.83, 2.52, 264, 0.25, o);
    }

    public static RegNet regnet_x_400mf(ModelOptions o) {
        return regnet(22, 24, 24.48, 2.54, 16, 0, o);
    }

    public static RegNet regnet_x_800mf(ModelOptions o) {
        return regnet(16, 56, 35.73, 2.28, 16, 0, o);
    }

    public static RegNet regnet_x_1_6gf(ModelOptions o) {
        return regnet(18, 80, 34.01, 2.25, 24, 0, o);
    }

    public static RegNet regnet_x_3_2gf(ModelOptions o) {
        return regnet(25, 88, 26.31, 2.25, 48, 0, o);
    }

    public static RegNet regnet_x_8gf(ModelOptions o) {
        return regnet(23, 80, 49.56, 2.88, 120, 0, o);
    }

    public static RegNet regnet_x_16gf(ModelOptions o) {
        return regnet(22, 216, 55.59, 2.1, 128, 0, o);
    }

    public static RegNet regnet_x_32gf(ModelOptions o) {
        return regnet(23, 320, 69.86, 2.0, 168, 0, o);
    }
}
