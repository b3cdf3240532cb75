package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.cnn4j.backend.CounterRng;
import org.cnn4j.ops.Regularization;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Inverted dropout with the counter-based mask. */
public abstract class DropoutContract extends BackendTestBase {

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        Tensor x = randn(1000);
        float[] a = Regularization.dropout(x, 0.3f, true, 7L).toFloatArray();
        float[] b = Regularization.dropout(x, 0.3f, true, 7L).toFloatArray();
        float[] c = Regularization.dropout(x, 0.3f, true, 8L).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void maskFollowsTheDocumentedFormula() {
        float p = 0.25f;
        long seed = 99L;
        int n = 4096;
        Tensor x = Tensor.full(backend, Shape.of(n), 2f);
        Tensor mask = Tensor.zeros(backend, Shape.of(n));
        Tensor y = Tensor.zeros(backend, Shape.of(n));
        backend.dropoutForward(x, p, seed, mask, y);
        float[] m = mask.toFloatArray();
        float[] out = y.toFloatArray();
        for (int i = 0; i < n; i++) {
            float expected = CounterRng.uniform(seed, i) >= p ? 1f / (1f - p) : 0f;
            assertEquals(expected, m[i], "mask[" + i + "]");
            assertEquals(2f * expected, out[i], "y[" + i + "]");
        }
    }

    @Test
    void keptFractionAndScaling() {
        int n = 100_000;
        for (float p : new float[] {0.1f, 0.5f, 0.8f}) {
            float[] y = Regularization.dropout(Tensor.full(backend, Shape.of(n), 1f), p, true, 2024L).toFloatArray();
            int kept = 0;
            for (float v : y) {
                if (v != 0f) {
                    kept++;
                    assertEquals(1f / (1f - p), v, 1e-6f, "kept value scaled by 1/(1-p)");
                }
            }
            double fraction = kept / (double) n;
            double sigma = Math.sqrt(p * (1 - p) / n);
            assertTrue(Math.abs(fraction - (1 - p)) < 5 * sigma, "p=" + p + " kept fraction " + fraction);
        }
    }

    @Test
    void gradientWithFixedSeed() {
        GradCheck.check("dropout", in -> Regularization.dropout(in[0], 0.4f, true, 5L), param(4, 6));
        Tensor x = param(50);
        Regularization.dropout(x, 0.5f, true, 3L).sum().backward();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(CounterRng.uniform(3L, i) >= 0.5f ? 2f : 0f, g[i], "grad[" + i + "] is the mask");
        }
    }

    @Test
    void evalIsIdentityAndBadProbabilityIsRejected() {
        float[] xv = NumericAsserts.gaussian(random, 10);
        Tensor x = tensor(xv.clone(), 10);
        assertArrayEquals(xv, Regularization.dropout(x, 0.5f, false, 1L).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Regularization.dropout(x, 1f, true, 1L));
        assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains("[0, 1)")
                && e.getMessage().contains("1.0"), e.getMessage());
    }
}
