package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cnn4j.backend.ConvSpec;
import org.junit.jupiter.api.Test;

/**
 * The depthwise kernel against the plain reference loops: forward and filter gradient add the same products in
 * the same order, so they must be identical bit for bit; the data gradient adds them in another order and is
 * compared with {@link KernelAssert#assertClose}. The cases are large enough for the parallel path (several
 * chunks of planes), so identical results also show that splitting the work does not change them.
 */
class CpuDepthwiseKernelTest {
    /** Input [n, c, h, w], kernel r x s, and the spec (groups = c). */
    private record Case(int n, int c, int h, int w, int r, int s, ConvSpec spec) {
        static Case of(int n, int c, int h, int w, int kernel, int stride, int pad, int dilation) {
            return new Case(n, c, h, w, kernel, kernel, ConvSpec.of(stride, pad, dilation, c));
        }

        int[] x() {
            return new int[] {n, c, h, w};
        }

        int[] wd() {
            return new int[] {c, 1, r, s};
        }

        int[] y() {
            return new int[] {n, c, spec.outH(h, r), spec.outW(w, s)};
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] " + r + "x" + s + " " + spec;
        }
    }

    private static final Case[] CASES = {
        Case.of(2, 16, 17, 19, 3, 1, 1, 1),   // MobileNet's 3x3, odd sizes
        Case.of(2, 16, 17, 19, 3, 2, 1, 1),   // stride 2
        Case.of(3, 8, 15, 14, 5, 1, 2, 1),    // EfficientNet's 5x5
        Case.of(2, 8, 16, 16, 5, 2, 2, 1),    // 5x5 stride 2, even input
        Case.of(2, 12, 14, 13, 7, 1, 3, 1),   // ConvNeXt's 7x7
        Case.of(1, 6, 12, 12, 3, 1, 2, 2),    // dilation 2 (MobileNet V3 dilated)
        Case.of(2, 4, 9, 11, 3, 1, 0, 1),     // no padding
        Case.of(1, 5, 4, 3, 5, 1, 2, 1),      // kernel larger than the input: most taps outside
        Case.of(2, 4, 11, 9, 3, 3, 0, 1),     // stride 3 skips input columns
        new Case(2, 6, 10, 13, 3, 5, new ConvSpec(1, 2, 1, 2, 1, 1, 6)), // 3x5 kernel, anisotropic stride
    };

    private final Random random = new Random(5);

    @Test
    void appliesOnlyToOneChannelPerGroup() {
        assertTrue(CpuDepthwise.applies(new int[] {1, 8, 5, 5}, new int[] {8, 1, 3, 3}, ConvSpec.of(1, 1, 1, 8)));
        assertFalse(CpuDepthwise.applies(new int[] {1, 8, 5, 5}, new int[] {16, 1, 3, 3}, ConvSpec.of(1, 1, 1, 8)),
                "a channel multiplier of 2 takes the general path");
        assertFalse(CpuDepthwise.applies(new int[] {1, 8, 5, 5}, new int[] {8, 2, 3, 3}, ConvSpec.of(1, 1, 1, 4)));
        assertFalse(CpuDepthwise.applies(new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3}, ConvSpec.of(1, 1)));
    }

    @Test
    void forwardEqualsTheReferenceBitForBit() {
        for (Case cs : CASES) {
            float[] x = KernelAssert.uniform(random, prod(cs.x())), w = KernelAssert.uniform(random, prod(cs.wd()));
            float[] expected = new float[prod(cs.y())], actual = KernelAssert.uniform(random, expected.length);
            CpuConvReference.forward(x, cs.x(), w, cs.wd(), expected, cs.y(), cs.spec());
            CpuDepthwise.forward(x, cs.x(), w, cs.wd(), actual, cs.y(), cs.spec());
            assertArrayEquals(expected, actual, "forward " + cs);
        }
    }

    @Test
    void filterGradientEqualsTheReferenceBitForBit() {
        for (Case cs : CASES) {
            float[] x = KernelAssert.uniform(random, prod(cs.x())), dy = KernelAssert.uniform(random, prod(cs.y()));
            float[] expected = new float[prod(cs.wd())], actual = KernelAssert.uniform(random, expected.length);
            CpuConvReference.backwardFilter(x, cs.x(), dy, cs.y(), expected, cs.wd(), cs.spec());
            CpuDepthwise.backwardFilter(x, cs.x(), dy, cs.y(), actual, cs.wd(), cs.spec());
            assertArrayEquals(expected, actual, "backward filter " + cs);
        }
    }

    @Test
    void dataGradientMatchesTheReference() {
        for (Case cs : CASES) {
            float[] dy = KernelAssert.uniform(random, prod(cs.y())), w = KernelAssert.uniform(random, prod(cs.wd()));
            float[] expected = new float[prod(cs.x())], actual = KernelAssert.uniform(random, expected.length);
            CpuConvReference.backwardData(dy, cs.y(), w, cs.wd(), expected, cs.x(), cs.spec());
            CpuDepthwise.backwardData(dy, cs.y(), w, cs.wd(), actual, cs.x(), cs.spec());
            KernelAssert.assertClose("backward data " + cs, expected, actual);
            float[] again = new float[actual.length];
            CpuDepthwise.backwardData(dy, cs.y(), w, cs.wd(), again, cs.x(), cs.spec());
            assertArrayEquals(actual, again, "backward data is deterministic " + cs);
        }
    }

    private static int prod(int[] d) {
        int p = 1;
        for (int v : d) {
            p *= v;
        }
        return p;
    }
}
