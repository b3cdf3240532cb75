package org.cnn4j.backend;

/**
 * The pointwise activations, one entry each: its op code (the CUDA kernels' {@code ACT_<NAME>}, in ops.h generated
 * from these codes; never an ordinal), its CPU loops over a chunk of an array (forward, and the derivative
 * {@code dx = dy * f'(x)}), and the per-element cost the CPU backend uses to decide how far to split a loop. The
 * loops are the reference: double arithmetic rounded once to float, PyTorch's definitions at kinks. Adding an
 * activation is an entry here and its {@code case} in kernels.cu's {@code activation_fwd} / {@code activation_bwd}
 * (then regenerate ops.h and the PTX). {@code alpha} is the negative slope for LEAKY_RELU and unused otherwise.
 */
public enum Activation {
    RELU(0, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], 0f); // branch-free; keeps NaN as torch.relu does
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & positiveMask(x[i]));
            }
        }
    },
    LEAKY_RELU(1, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = x[i] > 0f ? x[i] : alpha * x[i];
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                dx[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
            }
        }
    },
    SIGMOID(2, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) sigmoid(x[i]);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                dx[i] = dy[i] * y[i] * (1f - y[i]); // from the saved output, as torch
            }
        }
    },
    TANH(3, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) Math.tanh(x[i]);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                dx[i] = dy[i] * (1f - y[i] * y[i]);
            }
        }
    },
    /** Exact GELU, {@code x * Phi(x)}, PyTorch's default {@code approximate='none'}. */
    GELU(4, 200) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) (x[i] * Erf.normalCdf(x[i]));
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                double v = x[i];
                double pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                dx[i] = (float) (dy[i] * (Erf.normalCdf(v) + v * pdf));
            }
        }
    },
    /** SiLU / swish, {@code x * sigmoid(x)} (EfficientNet). */
    SILU(5, 40) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) (x[i] * sigmoid(x[i]));
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                double s = sigmoid(x[i]);
                dx[i] = (float) (dy[i] * s * (1 + x[i] * (1 - s)));
            }
        }
    },
    /**
     * {@code x * relu6(x + 3) / 6} (MobileNet V3). The gradient is -1/2 at exactly -3 and 3/2 at exactly 3, as
     * PyTorch's scalar and CUDA kernels (its vectorised CPU kernel gives 1 at 3).
     */
    HARDSWISH(6, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                double v = x[i];
                y[i] = (float) (v * clamp6(v + 3) / 6);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                double v = x[i];
                dx[i] = v < -3 ? 0f : v <= 3 ? (float) (dy[i] * (v / 3 + 0.5)) : dy[i]; // NaN: dy, as torch
            }
        }
    },
    /** {@code relu6(x + 3) / 6} (MobileNet V3's squeeze-excitation gate); gradient 0 at exactly +-3. */
    HARDSIGMOID(7, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) (clamp6(x[i] + 3.0) / 6);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                dx[i] = x[i] > -3f && x[i] < 3f ? (float) (dy[i] / 6.0) : 0f;
            }
        }
    },
    /** {@code min(max(x, 0), 6)} (MobileNet V2); gradient 0 at exactly 0 and 6, as PyTorch's hardtanh. */
    RELU6(8, 20) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) clamp6(x[i]);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                dx[i] = x[i] <= 0f || x[i] >= 6f ? 0f : dy[i]; // NaN: dy, as torch's hardtanh
            }
        }
    },
    /** The error function, ONNX's Erf (PyTorch's exported GELU is built on it). */
    ERF(9, 200) {
        @Override
        public void forward(float[] x, float[] y, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                y[i] = (float) Erf.erf(x[i]);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha) {
            for (int i = from; i < to; i++) {
                double v = x[i];
                dx[i] = (float) (dy[i] * TWO_OVER_SQRT_PI * Math.exp(-v * v));
            }
        }
    };

    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private final int code;
    private final int cost;

    Activation(int code, int cost) {
        this.code = code;
        this.cost = cost;
    }

    /** The op code of the CUDA kernels' switch ({@code ACT_<NAME>} in ops.h). */
    public int code() {
        return code;
    }

    /** Rough floating-point operations per element, for splitting CPU loops. */
    public int cost() {
        return cost;
    }

    /** {@code y[i] = f(x[i])} for i in [from, to). */
    public abstract void forward(float[] x, float[] y, int from, int to, float alpha);

    /** {@code dx[i] = dy[i] * f'(x[i])} for i in [from, to); {@code y} holds the forward output. */
    public abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to, float alpha);

    /**
     * {@code min(max(v, 0), 6)} as C++'s std::min/std::max in PyTorch's kernels: NaN passes through, -0 stays -0
     * (Math.max would turn both into other values).
     */
    static double clamp6(double v) {
        double low = v < 0 ? 0 : v;
        return 6 < low ? 6 : low;
    }

    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /**
     * All ones when {@code v > 0} (NaN excluded), else zero, without a branch: ReLU inputs make {@code x > 0}
     * unpredictable. With b the raw bits, v > 0 exactly when 1 <= b <= bits(+Inf).
     */
    static int positiveMask(float v) {
        int b = Float.floatToRawIntBits(v);
        return ~(((0x7f800000 - b) | (b - 1)) >> 31);
    }
}
