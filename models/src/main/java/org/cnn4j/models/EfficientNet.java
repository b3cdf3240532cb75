package org.cnn4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.SiLU;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.StochasticDepth;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's EfficientNet B0-B7 (Tan and Le 2019) and EfficientNetV2 S/M/L (Tan and Le 2021): MBConv blocks
 * (1x1 expansion, depthwise conv, squeeze-and-excitation, linear projection) and, in V2, FusedMBConv blocks (one
 * full conv in place of expansion + depthwise); SiLU throughout; row-mode stochastic depth on the residual
 * branches, its probability rising linearly to 0.2. Keys {@code features.1.0.block.1.fc1.weight},
 * {@code classifier.1.weight}; torchvision's init (kaiming-normal fan-out convs, linear U(+-1/sqrt(out)), zero
 * biases).
 */
public final class EfficientNet extends Module {
    /**
     * One stage as torchvision's MBConvConfig / FusedMBConvConfig (widths and depth already scaled): expansion,
     * kernel, first stride, input and output channels, number of blocks, fused.
     */
    record Stage(double expandRatio, int kernel, int stride, int in, int out, int layers, boolean fused) {
    }

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public EfficientNet(List<Stage> stages, float dropout, double stochasticDepthProb, int lastChannel,
                        IntFunction<Module> norm, int numClasses, int inChannels) {
        Sequential f = new Sequential(new Conv2dNormActivation(inChannels, stages.get(0).in(), 3, 2, 1, norm,
                SiLU::new, 1));
        int total = stages.stream().mapToInt(Stage::layers).sum();
        int blockId = 0;
        for (Stage s : stages) {
            Sequential stage = new Sequential();
            for (int i = 0; i < s.layers(); i++) {
                int in = i == 0 ? s.in() : s.out();
                int stride = i == 0 ? s.stride() : 1;
                float p = (float) (stochasticDepthProb * blockId / total);
                stage.add(s.fused() ? new FusedMBConv(s, in, stride, p, norm) : new MBConv(s, in, stride, p, norm));
                blockId++;
            }
            f.add(stage);
        }
        int lastIn = stages.get(stages.size() - 1).out();
        int lastOut = lastChannel > 0 ? lastChannel : 4 * lastIn;
        f.add(new Conv2dNormActivation(lastIn, lastOut, 1, 1, 1, norm, SiLU::new, 1));
        features = registerModule("features", f);
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout), new Linear(lastOut,
                numClasses)));
        ZooInit.kaimingFanOutConvs(this, l -> {
            double range = 1 / Math.sqrt(l.outFeatures());
            Init.uniform(l.weight(), -range, range);
            Init.zeros(l.bias());
        });
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)).flatten(1));
    }

    /** A residual block's branch with stochastic depth, added to the input when the shapes allow. */
    abstract static class Residual extends Module {
        private final boolean residual;
        private final Sequential block;
        private final StochasticDepth stochasticDepth;

        Residual(int in, int out, int stride, Sequential block, float stochasticDepthProb) {
            residual = stride == 1 && in == out;
            this.block = registerModule("block", block);
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(stochasticDepthProb));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor result = block.call(x);
            return residual ? stochasticDepth.call(result).add(x) : result;
        }
    }

    /** Expand (1x1, when wider), depthwise, squeeze-and-excitation (to in/4 channels), project (1x1, linear). */
    public static final class MBConv extends Residual {
        MBConv(Stage s, int in, int stride, float p, IntFunction<Module> norm) {
            super(in, s.out(), stride, layers(s, in, stride, norm), p);
        }

        private static Sequential layers(Stage s, int in, int stride, IntFunction<Module> norm) {
            int expanded = Widths.makeDivisible(in * s.expandRatio(), 8);
            Sequential b = new Sequential();
            if (expanded != in) {
                b.add(new Conv2dNormActivation(in, expanded, 1, 1, 1, norm, SiLU::new, 1));
            }
            return b.add(new Conv2dNormActivation(expanded, expanded, s.kernel(), stride, expanded, norm, SiLU::new,
                            1))
                    .add(new SqueezeExcitation(expanded, Math.max(1, in / 4), SiLU::new, Sigmoid::new))
                    .add(new Conv2dNormActivation(expanded, s.out(), 1, 1, 1, norm, null, 1));
        }
    }

    /** EfficientNetV2's fused block: a full k x k conv to the expanded width, then 1x1 (or one k x k conv). */
    public static final class FusedMBConv extends Residual {
        FusedMBConv(Stage s, int in, int stride, float p, IntFunction<Module> norm) {
            super(in, s.out(), stride, layers(s, in, stride, norm), p);
        }

        private static Sequential layers(Stage s, int in, int stride, IntFunction<Module> norm) {
            int expanded = Widths.makeDivisible(in * s.expandRatio(), 8);
            if (expanded == in) {
                return new Sequential(new Conv2dNormActivation(in, s.out(), s.kernel(), stride, 1, norm, SiLU::new,
                        1));
            }
            return new Sequential(new Conv2dNormActivation(in, expanded, s.kernel(), stride, 1, norm, SiLU::new, 1),
                    new Conv2dNormActivation(expanded, s.out(), 1, 1, 1, norm, null, 1));
        }
    }

    /** B0's stages scaled as torchvision's MBConvConfig: widths by {@code width}, depths by {@code depth}. */
    static List<Stage> scaledB0(double width, double depth) {
        double[][] b0 = {{1, 3, 1, 32, 16, 1}, {6, 3, 2, 16, 24, 2}, {6, 5, 2, 24, 40, 2}, {6, 3, 2, 40, 80, 3},
            {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
        List<Stage> out = new ArrayList<>();
        for (double[] c : b0) {
            out.add(new Stage(c[0], (int) c[1], (int) c[2], Widths.makeDivisible(c[3] * width, 8),
                    Widths.makeDivisible(c[4] * width, 8), (int) Math.ceil(c[5] * depth), false));
        }
        return out;
    }

    private static Stage fused(double t, int k, int s, int in, int out, int n) {
        return new Stage(t, k, s, in, out, n, true);
    }

    private static Stage mb(double t, int k, int s, int in, int out, int n) {
        return new Stage(t, k, s, in, out, n, false);
    }

    private static EfficientNet b(double width, double depth, float dropout, boolean smallMomentum, ModelOptions o) {
        IntFunction<Module> norm = smallMomentum ? c -> new BatchNorm2d(c, 0.001f, 0.01f) : BatchNorm2d::new;
        return new EfficientNet(scaledB0(width, depth), dropout, 0.2, 0, norm, o.numClassesOr(1000),
                o.inChannelsOr(3));
    }

    private static EfficientNet v2(List<Stage> stages, float dropout, ModelOptions o) {
        return new EfficientNet(stages, dropout, 0.2, 1280, c -> new BatchNorm2d(c, 0.001f, 0.1f),
                o.numClassesOr(1000), o.inChannelsOr(3));
    }

    public static EfficientNet efficientnet_b0(ModelOptions o) {
        return b(1.0, 1.0, 0.2f, false, o);
    }

    public static EfficientNet efficientnet_b1(ModelOptions o) {
        return b(1.0, 1.1, 0.2f, false, o);
    }

    public static EfficientNet efficientnet_b2(ModelOptions o) {
        return b(1.1, 1.2, 0.3f, false, o);
    }

    public static EfficientNet efficientnet_b3(ModelOptions o) {
        return b(1.2, 1.4, 0.3f, false, o);
    }

    public static EfficientNet efficientnet_b4(ModelOptions o) {
        return b(1.4, 1.8, 0.4f, false, o);
    }

    public static EfficientNet efficientnet_b5(ModelOptions o) {
        return b(1.6, 2.2, 0.4f, true, o);
    }

    public static EfficientNet efficientnet_b6(ModelOptions o) {
        return b(1.8, 2.6, 0.5f, true, o);
    }

    public static EfficientNet efficientnet_b7(ModelOptions o) {
        return b(2.0, 3.1, 0.5f, true, o);
    }

    public static EfficientNet efficientnet_v2_s(ModelOptions o) {
        return v2(List.of(fused(1, 3, 1, 24, 24, 2), fused(4, 3, 2, 24, 48, 4), fused(4, 3, 2, 48, 64, 4),
                mb(4, 3, 2, 64, 128, 6), mb(6, 3, 1, 128, 160, 9), mb(6, 3, 2, 160, 256, 15)), 0.2f, o);
    }

    public static EfficientNet efficientnet_v2_m(ModelOptions o) {
        return v2(List.of(fused(1, 3, 1, 24, 24, 3), fused(4, 3, 2, 24, 48, 5), fused(4, 3, 2, 48, 80, 5),
                mb(4, 3, 2, 80, 160, 7), mb(6, 3, 1, 160, 176, 14), mb(6, 3, 2, 176, 304, 18),
                mb(6, 3, 1, 304, 512, 5)), 0.3f, o);
    }

    public static EfficientNet efficientnet_v2_l(ModelOptions o) {
        return v2(List.of(fused(1, 3, 1, 32, 32, 4), fused(4, 3, 2, 32, 64, 7), fused(4, 3, 2, 64, 96, 7),
                mb(4, 3, 2, 96, 192, 10), mb(6, 3, 1, 192, 224, 19), mb(6, 3, 2, 224, 384, 25),
                mb(6, 3, 1, 384, 640, 7)), 0.4f, o);
    }
}
