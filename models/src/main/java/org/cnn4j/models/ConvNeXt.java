package org.cnn4j.models;

import java.util.Arrays;
import java.util.List;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.ChannelLinear;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GELU;
import org.cnn4j.nn.Identity;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.LayerNorm2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.StochasticDepth;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's ConvNeXt (Liu et al. 2022): a 4x4 stride-4 patchify stem, four stages of blocks (7x7 depthwise
 * conv, LayerNorm, pointwise MLP with GELU expanding 4x, layer scale, stochastic depth, residual) separated by
 * LayerNorm + 2x2 stride-2 downsampling convs. torchvision permutes each block to channels-last around its
 * LayerNorm and Linear layers; cnn4j stays NCHW and applies them over the channel axis ({@link LayerNorm2d},
 * {@link ChannelLinear}), so the permutes are identities kept only for their indices. Keys
 * {@code features.1.0.layer_scale}, {@code features.1.0.block.3.weight} ([4C, C]), {@code classifier.2.weight};
 * torchvision's init (conv and linear weights truncated N(0, 0.02^2) on [-2, 2], zero biases, layer scale 1e-6).
 */
public final class ConvNeXt extends Module {
    private static final float EPS = 1e-6f;

    /** A stage: its width, the width after the following downsampling layer (0: none, the last), its depth. */
    public record Stage(int channels, int outChannels, int layers) {
    }

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public ConvNeXt(List<Stage> stages, double stochasticDepthProb, float layerScale, int numClasses,
                    int inChannels) {
        Sequential f = new Sequential();
        int stem = stages.get(0).channels();
        f.add(new Sequential(new Conv2d(inChannels, stem, 4, 4, ConvSpec.of(4, 0), true), new LayerNorm2d(stem, EPS)));
        int total = stages.stream().mapToInt(Stage::layers).sum();
        int blockId = 0;
        for (Stage s : stages) {
            Sequential stage = new Sequential();
            for (int i = 0; i < s.layers(); i++) {
                double p = stochasticDepthProb * blockId / (total - 1.0);
                stage.add(new CNBlock(s.channels(), layerScale, (float) p));
                blockId++;
            }
            f.add(stage);
            if (s.outChannels() > 0) {
                f.add(new Sequential(new LayerNorm2d(s.channels(), EPS),
                        new Conv2d(s.channels(), s.outChannels(), 2, 2, ConvSpec.of(2, 0), true)));
            }
        }
        features = registerModule("features", f);
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        Stage last = stages.get(stages.size() - 1);
        int width = last.outChannels() > 0 ? last.outChannels() : last.channels();
        classifier = registerModule("classifier", new Sequential(new LayerNorm2d(width, EPS), new Flatten(),
                new Linear(width, numClasses)));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.truncNormal(c.weight(), 0, 0.02, -2, 2);
                Init.zeros(c.bias());
            } else if (m instanceof Linear l) {
                Init.truncNormal(l.weight(), 0, 0.02, -2, 2);
                Init.zeros(l.bias());
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)));
    }

    /** {@code x + stochastic_depth(layer_scale * block(x))}. */
    public static final class CNBlock extends Module {
        private final Sequential block;
        private final StochasticDepth stochasticDepth;

        public CNBlock(int dim, float layerScale, float stochasticDepthProb) {
            registerParameter("layer_scale", Tensor.full(Backends.current(), Shape.of(dim, 1, 1), layerScale));
            block = registerModule("block", new Sequential(
                    new Conv2d(dim, dim, 7, 7, new ConvSpec(1, 1, 3, 3, 1, 1, dim), true),
                    new Identity(), // torchvision: Permute([0, 2, 3, 1])
                    new LayerNorm2d(dim, EPS),
                    new ChannelLinear(dim, 4 * dim),
                    new GELU(),
                    new ChannelLinear(4 * dim, dim),
                    new Identity())); // torchvision: Permute([0, 3, 1, 2])
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(stochasticDepthProb));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor branch = parameter("layer_scale").mul(block.call(x));
            return stochasticDepth.call(branch).add(x);
        }
    }

    private static ConvNeXt convnext(int[][] stages, double stochasticDepthProb, ModelOptions o) {
        List<Stage> list = Arrays.stream(stages).map(s -> new Stage(s[0], s[1], s[2])).toList();
        return new ConvNeXt(list, stochasticDepthProb, 1e-6f, o.numClassesOr(1000), o.inChannelsOr(3));
    }

    public static ConvNeXt convnext_tiny(ModelOptions o) {
        return convnext(new int[][] {{96, 192, 3}, {192, 384, 3}, {384, 768, 9}, {768, 0, 3}}, 0.1, o);
    }

    public static ConvNeXt convnext_small(ModelOptions o) {
        return convnext(new int[][] {{96, 192, 3}, {192, 384, 3}, {384, 768, 27}, {768, 0, 3}}, 0.4, o);
    }

    public static ConvNeXt convnext_base(ModelOptions o) {
        return convnext(new int[][] {{128, 256, 3}, {256, 512, 3}, {512, 1024, 27}, {1024, 0, 3}}, 0.5, o);
    }

    public static ConvNeXt convnext_large(ModelOptions o) {
        return convnext(new int[][] {{192, 384, 3}, {384, 768, 3}, {768, 1536, 27}, {1536, 0, 3}}, 0.5, o);
    }
}
