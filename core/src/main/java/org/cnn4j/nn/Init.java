package org.cnn4j.nn;

import java.util.Random;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Weight initialisation as {@code torch.nn.init}, with the same fan and gain rules. Values are drawn on the
 * host from one global seeded generator and then written to the tensor, so a seed gives identical weights on
 * every backend. The generator is a plain {@link Random}: do not initialise models from several threads at once
 * if runs must be reproducible.
 */
public final class Init {
    /** Which fan {@code kaiming*} preserves: FAN_IN keeps forward variance, FAN_OUT backward variance. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** The nonlinearity following the layer, for {@link #calculateGain}. */
    public enum Nonlinearity { LINEAR, CONV, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    private static Random generator = new Random(0);

    private Init() {
    }

    /** Reseeds the global generator (like {@code torch.manual_seed} for initialisation). */
    public static synchronized void manualSeed(long seed) {
        generator = new Random(seed);
    }

    /** The global generator; not thread-safe to share between concurrently initialising threads. */
    public static synchronized Random generator() {
        return generator;
    }

    /** {@code torch.nn.init.calculate_gain}; {@code param} is leaky ReLU's negative slope. */
    public static double calculateGain(Nonlinearity nl, double param) {
        return switch (nl) {
            case LINEAR, CONV, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** {fan_in, fan_out}: dims 1 and 0 times the receptive field (product of dims 2..), as PyTorch. */
    public static long[] fans(Shape shape) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("init: fan in and fan out cannot be computed for a tensor with fewer"
                    + " than 2 dimensions, got shape " + shape);
        }
        long receptive = shape.size(2, shape.rank());
        return new long[] {shape.dim(1) * receptive, shape.dim(0) * receptive};
    }

    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nl) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nl);
        return uniform(t, -bound, bound);
    }

    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nl) {
        return normal(t, 0, kaimingStd(t, a, mode, nl));
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nl) {
        long[] f = fans(t.shape());
        long fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) {
            throw new IllegalArgumentException("init: cannot initialise a zero-element tensor " + t.shape());
        }
        return calculateGain(nl, a) / Math.sqrt(fan);
    }

    public static Tensor xavierUniform(Tensor t, double gain) {
        double bound = Math.sqrt(3.0) * xavierStd(t, gain);
        return uniform(t, -bound, bound);
    }

    public static Tensor xavierNormal(Tensor t, double gain) {
        return normal(t, 0, xavierStd(t, gain));
    }

    private static double xavierStd(Tensor t, double gain) {
        long[] f = fans(t.shape());
        return gain * Math.sqrt(2.0 / (f[0] + f[1]));
    }

    /** Fills {@code t} with N(mean, std^2) values; returns t. */
    public static Tensor normal(Tensor t, double mean, double std) {
        if (holdsNoData(t)) {
            return t;
        }
        Random r = generator();
        float[] v = new float[Math.toIntExact(t.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * r.nextGaussian());
        }
        t.backend().write(t, v, 0);
        return t;
    }

    /**
     * {@code torch.nn.init.trunc_normal_}: N(mean, std^2) restricted to [a, b] (absolute bounds, as PyTorch's, not
     * multiples of std), drawn by rejection; returns t.
     */
    public static Tensor truncNormal(Tensor t, double mean, double std, double a, double b) {
        if (!(a < b) || !(std > 0) || mean < a - 2 * std || mean > b + 2 * std) {
            throw new IllegalArgumentException("init.trunc_normal: expected a < b, std > 0 and the mean within 2 std"
                    + " of [a, b], got mean " + mean + " std " + std + " [" + a + ", " + b + "]");
        }
        if (holdsNoData(t)) {
            return t;
        }
        Random r = generator();
        float[] v = new float[Math.toIntExact(t.numel())];
        for (int i = 0; i < v.length; i++) {
            double x;
            do {
                x = mean + std * r.nextGaussian();
            } while (x < a || x > b);
            v[i] = (float) x;
        }
        t.backend().write(t, v, 0);
        return t;
    }

    /** Fills {@code t} with U(low, high) values; returns t. */
    public static Tensor uniform(Tensor t, double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("init.uniform: expected low <= high, got " + low + ", " + high);
        }
        if (holdsNoData(t)) {
            return t;
        }
        Random r = generator();
        float[] v = new float[Math.toIntExact(t.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (low + (high - low) * r.nextDouble());
        }
        t.backend().write(t, v, 0);
        return t;
    }

    /** No values to draw: an empty tensor, or one on a data-less (shape-only) backend; skips the host RNG work. */
    private static boolean holdsNoData(Tensor t) {
        return t.storage().bytes() == 0;
    }

    public static Tensor constant(Tensor t, double value) {
        t.backend().fill(t, (float) value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /**
     * PyTorch's default Conv2d/Linear initialisation: weight kaiming_uniform(a=sqrt 5) (i.e. U(+-1/sqrt(fan_in))),
     * bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)); {@code bias} may be null.
     */
    public static void defaultLayerInit(Tensor weight, Tensor bias) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
        if (bias != null) {
            long fanIn = fans(weight.shape())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform(bias, -bound, bound);
        }
    }
}
