package org.cnn4j.cpu;

import org.cnn4j.backend.Activation;

/** Pointwise activations, forward and backward; the activation is switched on once per chunk. */
final class CpuActivation {
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private CpuActivation() {
    }

    static void forward(Activation act, float alpha, float[] x, float[] y) {
        CpuThreads.parallelFor(x.length, act == Activation.GELU ? 200 : 20, (from, to) -> {
            switch (act) {
                case RELU -> {
                    for (int i = from; i < to; i++) {
                        y[i] = Math.max(x[i], 0f); // branch-free; keeps NaN as torch.relu does
                    }
                }
                case LEAKY_RELU -> {
                    for (int i = from; i < to; i++) {
                        y[i] = x[i] > 0f ? x[i] : alpha * x[i];
                    }
                }
                case SIGMOID -> {
                    for (int i = from; i < to; i++) {
                        y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                    }
                }
                case TANH -> {
                    for (int i = from; i < to; i++) {
                        y[i] = (float) Math.tanh(x[i]);
                    }
                }
                case GELU -> {
                    for (int i = from; i < to; i++) {
                        y[i] = (float) (x[i] * Erf.normalCdf(x[i]));
                    }
                }
            }
        });
    }

    /**
     * All ones when {@code v > 0} (NaN excluded), else zero, without a branch: ReLU inputs make {@code x > 0}
     * unpredictable. With b the raw bits, v > 0 exactly when 1 <= b <= bits(+Inf).
     */
    static int positiveMask(float v) {
        int b = Float.floatToRawIntBits(v);
        return ~(((0x7f800000 - b) | (b - 1)) >> 31);
    }

    /** {@code dx = dy * f'(x)}; sigmoid and tanh use the saved output {@code y}. */
    static void backward(Activation act, float alpha, float[] x, float[] y, float[] dy, float[] dx) {
        CpuThreads.parallelFor(x.length, act == Activation.GELU ? 200 : 20, (from, to) -> {
            switch (act) {
                case RELU -> {
                    for (int i = from; i < to; i++) {
                        dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & positiveMask(x[i]));
                    }
                }
                case LEAKY_RELU -> {
                    for (int i = from; i < to; i++) {
                        dx[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
                    }
                }
                case SIGMOID -> {
                    for (int i = from; i < to; i++) {
                        dx[i] = dy[i] * y[i] * (1f - y[i]);
                    }
                }
                case TANH -> {
                    for (int i = from; i < to; i++) {
                        dx[i] = dy[i] * (1f - y[i] * y[i]);
                    }
                }
                case GELU -> {
                    for (int i = from; i < to; i++) {
                        double v = x[i];
                        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                        dx[i] = (float) (dy[i] * (Erf.normalCdf(v) + v * pdf));
                    }
                }
            }
        });
    }
}
