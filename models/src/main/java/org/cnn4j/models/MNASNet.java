package org.cnn4j.models;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's MNASNet B1 (Tan et al. 2018) at depth multipliers 0.5, 0.75, 1.0 and 1.3: a separable-conv stem and
 * six stacks of inverted residuals (3x3 or 5x5 depthwise, ReLU), batch norm momentum 0.0003. Keys
 * {@code layers.8.0.layers.3.weight}, {@code classifier.1.weight}; torchvision's init (kaiming-normal fan-out
 * convs, linear kaiming-uniform fan-out with sigmoid gain, zero biases).
 */
public final class MNASNet extends Module {
    private static final float BN_MOMENTUM = (float) (1 - 0.9997);
    /** kernel, first stride, expansion, repeats of each stack (the output widths are depths[2..7]). */
    private static final int[][] STACKS = {{3, 2, 3, 3}, {5, 2, 3, 3}, {5, 2, 6, 3}, {3, 1, 6, 2}, {5, 2, 6, 4},
        {3, 1, 6, 1}};

    private final Sequential layers;
    private final Sequential classifier;

    public MNASNet(double alpha, int numClasses, float dropout, int inChannels) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("MNASNet: alpha should be greater than 0.0, got " + alpha);
        }
        int[] depths = depths(alpha);
        Sequential l = new Sequential()
                .add(new Conv2d(inChannels, depths[0], 3, 3, ConvSpec.of(2, 1), false)).add(bn(depths[0]))
                .add(new ReLU())
                .add(new Conv2d(depths[0], depths[0], 3, 3, ConvSpec.of(1, 1, 1, depths[0]), false))
                .add(bn(depths[0])).add(new ReLU())
                .add(new Conv2d(depths[0], depths[1], 1, 1, ConvSpec.of(1, 0), false)).add(bn(depths[1]));
        for (int s = 0; s < STACKS.length; s++) {
            int[] k = STACKS[s];
            l.add(stack(depths[s + 1], depths[s + 2], k[0], k[1], k[2], k[3]));
        }
        l.add(new Conv2d(depths[7], 1280, 1, 1, ConvSpec.of(1, 0), false)).add(bn(1280)).add(new ReLU());
        layers = registerModule("layers", l);
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout), new Linear(1280, numClasses)));
        ZooInit.kaimingFanOutConvs(this, linear -> {
            Init.kaimingUniform(linear.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.SIGMOID);
            Init.zeros(linear.bias());
        });
    }

    private static BatchNorm2d bn(int channels) {
        return new BatchNorm2d(channels, 1e-5f, BN_MOMENTUM);
    }

    /** torchvision's {@code _get_depths}: the reference widths times alpha, rounded up to multiples of 8. */
    static int[] depths(double alpha) {
        int[] base = {32, 16, 24, 40, 80, 96, 192, 320};
        int[] out = new int[base.length];
        for (int i = 0; i < base.length; i++) {
            double v = base[i] * alpha;
            int rounded = Math.max(8, (int) (v + 4) / 8 * 8);
            out[i] = rounded >= 0.9 * v ? rounded : rounded + 8;
        }
        return out;
    }

    private static Sequential stack(int in, int out, int kernel, int stride, int expansion, int repeats) {
        Sequential s = new Sequential(new InvertedResidual(in, out, kernel, stride, expansion));
        for (int i = 1; i < repeats; i++) {
            s.add(new InvertedResidual(out, out, kernel, 1, expansion));
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(Arithmetic.mean(layers.call(x), new int[] {2, 3}, false));
    }

    /** 1x1 expansion, k x k depthwise carrying the stride, 1x1 linear projection; a residual when shape allows. */
    public static final class InvertedResidual extends Module {
        private final boolean residual;
        private final Sequential layers;

        public InvertedResidual(int in, int out, int kernel, int stride, int expansion) {
            int mid = in * expansion;
            residual = in == out && stride == 1;
            layers = registerModule("layers", new Sequential(
                    new Conv2d(in, mid, 1, 1, ConvSpec.of(1, 0), false), bn(mid), new ReLU(),
                    new Conv2d(mid, mid, kernel, kernel, ConvSpec.of(stride, kernel / 2, 1, mid), false), bn(mid),
                    new ReLU(),
                    new Conv2d(mid, out, 1, 1, ConvSpec.of(1, 0), false), bn(out)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return residual ? layers.call(x).add(x) : layers.call(x);
        }
    }

    private static MNASNet mnasnet(double alpha, ModelOptions o) {
        return new MNASNet(alpha, o.numClassesOr(1000), 0.2f, o.inChannelsOr(3));
    }

    public static MNASNet mnasnet0_5(ModelOptions o) {
        return mnasnet(0.5, o);
    }

    public static MNASNet mnasnet0_75(ModelOptions o) {
        return mnasnet(0.75, o);
    }

    public static MNASNet mnasnet1_0(ModelOptions o) {
        return mnasnet(1.0, o);
    }

    public static MNASNet mnasnet1_3(ModelOptions o) {
        return mnasnet(1.3, o);
    }
}
