package org.cnn4j.models;

import java.util.Map;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The deterministic weights and inputs of the golden-logit fixtures; the same formula as {@code formula_value}
 * and {@code formula_input} in tools/golden/make_model_fixtures.py. Tensor number k (state_dict order) takes
 * values from {@code s = sin(i * 0.37 + k)} over its flat index i.
 */
final class GoldenWeights {
    private GoldenWeights() {
    }

    static float[] value(String key, Shape shape, int k) {
        int n = Math.toIntExact(shape.numel());
        float[] v = new float[n];
        double fanScale = shape.rank() >= 2 ? 1 / Math.sqrt((double) (n / shape.dim(0))) : 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) byKey(key, shape.rank(), Math.sin(i * 0.37 + k), fanScale);
        }
        return v;
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

    /** Writes the formula into every parameter and buffer of {@code state}. */
    static void fill(Map<String, Tensor> state) {
        int k = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue();
            t.backend().write(t, value(e.getKey(), t.shape(), k++), 0);
        }
    }

    static float[] input(Shape shape) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.1);
        }
        return v;
    }
}
