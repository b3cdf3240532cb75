package org.cnn4j.models;

import java.util.Map;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The pseudo-random weights and input of the explanation fixtures, the same numbers as {@code uniform} and
 * {@code weights} in tools/golden/make_explain_fixtures.py: SplitMix64's finaliser of the counter
 * {@code seed * 2^32 + i}, its top 53 bits scaled to [-1, 1), computed in doubles and rounded to float32.
 */
final class ExplainWeights {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private ExplainWeights() {
    }

    static double uniform(long seed, long i) {
        long z = (seed << 32) + i;
        z = z * GOLDEN + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-52 - 1.0;
    }

    /** Writes tensor number k of {@code state} from seed k + 1; conv/linear weights get variance/fan_in. */
    static void fill(Map<String, Tensor> state, double variance) {
        int k = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            Shape shape = t.shape();
            int n = Math.toIntExact(shape.numel());
            float[] v = new float[n];
            double scale = shape.rank() >= 2 ? Math.sqrt(3.0 * variance / (n / shape.dim(0))) : 0;
            for (int i = 0; i < n; i++) {
                v[i] = (float) GoldenWeights.byKey(key, shape.rank(), uniform(k + 1, i), scale);
            }
            t.backend().write(t, v, 0);
            k++;
        }
    }

    /** The input: seed 0. */
    static float[] input(Shape shape) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) uniform(0, i);
        }
        return v;
    }
}
