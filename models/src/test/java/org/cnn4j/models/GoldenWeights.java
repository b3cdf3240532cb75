package org.cnn4j.models;

import java.util.Map;
import java.util.function.IntToDoubleFunction;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The deterministic weights and inputs of the golden fixtures. {@link #fill} and {@link #input} are
 * {@code formula_value} / {@code formula_input} of tools/golden/make_model_fixtures.py: tensor number k
 * (state_dict order) takes values from {@code s = sin(i * 0.37 + k)} over its flat index i. {@link #fillHashed}
 * and {@link #hashedInput} are {@code zoo_value} / {@code zoo_input} of make_zoo_fixtures.py: the same roles,
 * with {@code u} in [-1, 1) from a 32-bit integer hash of (i, k) (full-rank weights, for training-mode checks).
 */
final class GoldenWeights {
    private GoldenWeights() {
    }

    /**
     * Tensor {@code key}'s values from the source values {@code s(i)}: running statistics, norm weights and biases
     * near their usual values, conv / linear weights {@code s * sqrt(weightVariance / fan_in)}.
     */
    private static float[] values(String key, Shape shape, IntToDoubleFunction s, double weightVariance) {
        int n = Math.toIntExact(shape.numel());
        float[] v = new float[n];
        double fanScale = shape.rank() >= 2 ? Math.sqrt(weightVariance / (n / shape.dim(0))) : 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) byKey(key, shape.rank(), s.applyAsDouble(i), fanScale);
        }
        return v;
    }

    static float[] value(String key, Shape shape, int k) {
        return values(key, shape, i -> Math.sin(i * 0.37 + k), 1);
    }

    /** Uniform u in [-1, 1) has variance 1/3: scaled by sqrt(3 / fan_in), the weights have variance 1 / fan_in. */
    static float[] hashedValue(String key, Shape shape, int k) {
        return values(key, shape, i -> hashUniform(i, k), 3);
    }

    /**
     * The value for a tensor named {@code key} from a number {@code s} in [-1, 1]: batch-norm statistics and
     * parameters near their usual values, conv/linear weights {@code s * weightScale}, biases {@code 0.1 s}.
     */
    static double byKey(String key, int rank, double s, double weightScale) {
        if (key.endsWith("num_batches_tracked")) {
            return 0;
        } else if (key.endsWith("running_var")) {
            return 0.75 + 0.25 * s;
        } else if (key.endsWith("running_mean")) {
            return 0.1 * s;
        } else if (rank >= 2) {
            return s * weightScale;
        } else if (key.endsWith("weight")) {
            return 1.0 + 0.2 * s;
        }
        return 0.1 * s;
    }

    /** Writes the sine formula into every parameter and buffer of {@code state}. */
    static void fill(Map<String, Tensor> state) {
        int k = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue();
            t.backend().write(t, value(e.getKey(), t.shape(), k++), 0);
        }
    }

    /** Writes the hash formula into every parameter and buffer of {@code state}. */
    static void fillHashed(Map<String, Tensor> state) {
        int k = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue();
            t.backend().write(t, hashedValue(e.getKey(), t.shape(), k++), 0);
        }
    }

    /** murmur3's 32-bit finaliser of {@code i * 0x9E3779B1 + (k + 1) * 0x85EBCA77}, mapped to [-1, 1). */
    static double hashUniform(int i, int k) {
        int x = i * 0x9E3779B1 + (k + 1) * 0x85EBCA77;
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        x ^= x >>> 16;
        return (x & 0xFFFFFFFFL) / 2147483648.0 - 1.0;
    }

    static float[] input(Shape shape) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.1);
        }
        return v;
    }

    static float[] hashedInput(Shape shape) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) hashUniform(i, -1);
        }
        return v;
    }
}
