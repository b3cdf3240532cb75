package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.cnn4j.backend.Activation;
import org.junit.jupiter.api.Test;

/**
 * The branch-free ReLU backward against the plain select {@code x > 0 ? dy : 0}, special values included; the
 * leaky ReLU's gradient at exactly zero (PyTorch's: the negative slope).
 */
class CpuActivationKernelTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x80000000),
        Float.intBitsToFloat(0x7f800001)}; // the last: the NaN next to +Inf, where the mask's bound lies

    @Test
    void reluBackwardSelectsLikeTheReference() {
        Random random = new Random(3);
        int n = SPECIAL.length * SPECIAL.length + 1000;
        float[] x = new float[n], dy = new float[n], y = new float[n], dx = new float[n];
        int i = 0;
        for (float xv : SPECIAL) {
            for (float g : SPECIAL) {
                x[i] = xv;
                dy[i++] = g;
            }
        }
        for (; i < n; i++) {
            x[i] = (float) random.nextGaussian();
            dy[i] = (float) random.nextGaussian();
        }
        CpuActivation.backward(Activation.RELU, 0f, x, y, dy, dx);
        for (int j = 0; j < n; j++) {
            float want = x[j] > 0f ? dy[j] : 0f;
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dx[j]),
                    "relu backward at x=" + x[j] + " dy=" + dy[j]);
        }
    }

    @Test
    void vectorReluBackwardGivesTheScalarLoopsBitsOnAnyRange() {
        org.junit.jupiter.api.Assumptions.assumeTrue(VectorSupport.ENABLED, "Vector API not in use");
        Random random = new Random(4);
        int n = 517;
        float[] x = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
            dy[i] = (float) random.nextGaussian();
        }
        for (int[] range : new int[][] {{0, n}, {3, 40}, {17, 18}, {5, 5}, {100, 517}}) {
            float[] want = new float[n], got = new float[n];
            Activation.RELU.backward(x, null, dy, want, range[0], range[1], 0f);
            VectorActivation.reluBackward(x, dy, got, range[0], range[1], 0f);
            assertArrayEquals(want, got, "range " + range[0] + ".." + range[1]);
        }
    }

    @Test
    void leakyReluAtZeroTakesTheNegativeSlope() {
        float[] x = {0f, -0f, 1f}, dy = {2f, 2f, 2f}, dx = new float[3];
        CpuActivation.backward(Activation.LEAKY_RELU, 0.25f, x, new float[3], dy, dx);
        assertArrayEquals(new float[] {0.5f, 0.5f, 2f}, dx);
    }
}
