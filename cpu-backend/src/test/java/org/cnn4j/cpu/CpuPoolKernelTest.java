package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.cnn4j.backend.PoolSpec;
import org.junit.jupiter.api.Test;

/** The parallel pooling kernels against the plain loops, over max/avg, padding, ceil mode and count_include_pad. */
class CpuPoolKernelTest {
    private static final int[][] INPUTS = {
        {1, 1, 5, 5}, {2, 3, 7, 6}, {3, 2, 8, 11}, {1, 4, 13, 9}, {2, 3, 16, 15}, {2, 3, 28, 28},
    };
    private static final PoolSpec[] SPECS = {
        PoolSpec.max(2, 2, 0), PoolSpec.max(2, 2, 0).withCeilMode(true), PoolSpec.max(3, 2, 1), PoolSpec.max(3, 2, 1).withCeilMode(true),
        PoolSpec.max(2, 1, 1), PoolSpec.max(5, 3, 2).withCeilMode(true),
        new PoolSpec(PoolSpec.PoolMode.MAX, 3, 2, 2, 1, 1, 0, true, true),
        PoolSpec.avg(2, 2, 0), PoolSpec.avg(3, 2, 1), PoolSpec.avg(3, 2, 1).withCountIncludePad(false),
        PoolSpec.avg(3, 2, 1).withCeilMode(true), PoolSpec.avg(3, 2, 1).withCeilMode(true).withCountIncludePad(false),
        PoolSpec.avg(4, 3, 2).withCeilMode(true), new PoolSpec(PoolSpec.PoolMode.AVG, 2, 3, 1, 2, 1, 1, true, false),
    };
    private static final int[][] ADAPTIVE_OUT = {{1, 1}, {3, 3}, {2, 4}, {5, 5}, {7, 2}, {4, 13}};

    private final Random random = new Random(5);

    @Test
    void poolForwardAndBackwardMatchReference() {
        for (int[] xd : INPUTS) {
            for (PoolSpec spec : SPECS) {
                int p = spec.outH(xd[2]), q = spec.outW(xd[3]);
                if (p < 1 || q < 1) {
                    continue;
                }
                int[] yd = {xd[0], xd[1], p, q};
                String what = spec + " on " + java.util.Arrays.toString(xd);
                float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
                float[] expected = new float[CpuConvKernelTest.prod(yd)], actual = new float[expected.length];
                CpuPoolReference.forward(x, xd, expected, yd, spec);
                CpuPool.forward(x, xd, actual, yd, spec);
                KernelAssert.assertClose("forward " + what, expected, actual, expected.length, 1e-6, 1e-6);

                float[] dy = KernelAssert.uniform(random, expected.length);
                float[] dxRef = new float[x.length], dx = KernelAssert.uniform(random, x.length);
                CpuPoolReference.backward(x, xd, dy, yd, dxRef, spec);
                CpuPool.backward(x, xd, dy, yd, dx, spec);
                KernelAssert.assertClose("backward " + what, dxRef, dx, dx.length, 1e-6, 1e-6);
            }
        }
    }

    /**
     * Max pooling on values with many ties, signed zeros and NaNs: the result must be the reference's exactly
     * (first maximum in the window, -0 kept when it comes before +0, NaN wins), including which input gets dy.
     */
    @Test
    void maxPoolTiesSignedZerosAndNaNMatchReferenceExactly() {
        float[] values = {-0f, 0f, 0f, -0f, -1f, 1f, 1f, Float.NaN};
        for (int[] xd : INPUTS) {
            for (PoolSpec spec : SPECS) {
                int p = spec.outH(xd[2]), q = spec.outW(xd[3]);
                if (spec.mode() != PoolSpec.PoolMode.MAX || p < 1 || q < 1) {
                    continue;
                }
                int[] yd = {xd[0], xd[1], p, q};
                float[] x = new float[CpuConvKernelTest.prod(xd)];
                for (int i = 0; i < x.length; i++) {
                    x[i] = values[random.nextInt(random.nextBoolean() ? 4 : values.length)];
                }
                float[] expected = new float[CpuConvKernelTest.prod(yd)], actual = new float[expected.length];
                CpuPoolReference.forward(x, xd, expected, yd, spec);
                CpuPool.forward(x, xd, actual, yd, spec);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(0, Float.compare(expected[i], actual[i]),
                            "max forward " + spec + " on " + java.util.Arrays.toString(xd) + " at " + i);
                }
                float[] dy = KernelAssert.uniform(random, expected.length);
                float[] dxRef = new float[x.length], dx = new float[x.length];
                CpuPoolReference.backward(x, xd, dy, yd, dxRef, spec);
                CpuPool.backward(x, xd, dy, yd, dx, spec);
                KernelAssert.assertClose("max backward with ties " + spec, dxRef, dx, dx.length, 1e-6, 1e-6);
            }
        }
    }

    @Test
    void adaptiveAvgMatchesReference() {
        for (int[] xd : INPUTS) {
            for (int[] out : ADAPTIVE_OUT) {
                int[] yd = {xd[0], xd[1], out[0], out[1]};
                String what = "adaptive " + java.util.Arrays.toString(xd) + " -> " + out[0] + "x" + out[1];
                float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
                float[] expected = new float[CpuConvKernelTest.prod(yd)], actual = new float[expected.length];
                CpuPoolReference.adaptiveAvgForward(x, xd, expected, yd);
                CpuPool.adaptiveAvgForward(x, xd, actual, yd);
                KernelAssert.assertClose("forward " + what, expected, actual, expected.length, 1e-6, 1e-6);

                float[] dy = KernelAssert.uniform(random, expected.length);
                float[] dxRef = new float[x.length], dx = KernelAssert.uniform(random, x.length);
                CpuPoolReference.adaptiveAvgBackward(dy, yd, dxRef, xd);
                CpuPool.adaptiveAvgBackward(dy, yd, dx, xd);
                KernelAssert.assertClose("backward " + what, dxRef, dx, dx.length, 1e-6, 1e-6);
            }
        }
    }
}
