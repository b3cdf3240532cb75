package org.cnn4j.contract;

import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Element-wise comparison ({@code |actual - expected| <= atol + rtol*|expected|}) and input generators. */
final class NumericAsserts {
    private NumericAsserts() {
    }

    static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertClose(what, e, actual, atol, rtol);
    }

    /**
     * Standard-normal values made on the host. Expected values must be computed from these, never from a tensor
     * read back from the backend under test: a device that loses data would read back zeros on both sides.
     */
    static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Leaf with requiresGrad, values uniform in [low, high). */
    static Tensor uniformParam(Backend backend, Random random, float low, float high, int... dims) {
        return Tensor.uniform(backend, Shape.of(dims), low, high, random).requiresGrad(true);
    }

    /** Leaf with requiresGrad, |values| in [0.2, 2) with random sign: away from kinks at 0. */
    static Tensor awayFromZero(Backend backend, Random random, int... dims) {
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            float mag = 0.2f + 1.8f * random.nextFloat();
            v[i] = random.nextBoolean() ? mag : -mag;
        }
        return Tensor.of(backend, v, Shape.of(dims)).requiresGrad(true);
    }
}
