package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.cnn4j.backend.ConvSpec;
import org.junit.jupiter.api.Test;

/**
 * The im2col + GEMM convolution (all three passes and the bias gradient) against the plain loops. The overloads
 * with an explicit column budget are called so every case takes the im2col path; the Winograd path that the
 * default overloads pick for 3x3 stride-1 convolutions is tested in {@link WinogradTest}.
 */
class CpuConvKernelTest {
    /** One case: input dims, output channels, kernel size, and the spec. */
    private record Case(int n, int c, int h, int w, int k, int r, int s, ConvSpec spec) {
        Case(int n, int c, int h, int w, int k, int kernel, int stride, int pad, int dilation, int groups) {
            this(n, c, h, w, k, kernel, kernel, ConvSpec.of(stride, pad, dilation, groups));
        }

        int[] xDims() {
            return new int[] {n, c, h, w};
        }

        int[] wDims() {
            return new int[] {k, c / spec.groups(), r, s};
        }

        int[] yDims() {
            return new int[] {n, k, spec.outH(h, r), spec.outW(w, s)};
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] k=" + k + " kernel " + r + "x" + s + " " + spec;
        }
    }

    private static final Case[] CASES = {
        new Case(3, 8, 7, 5, 6, 1, 1, 0, 1, 1),      // 1x1: the column matrix is the input itself
        new Case(2, 4, 9, 9, 4, 1, 2, 0, 1, 1),      // 1x1 stride 2
        new Case(1, 3, 6, 4, 5, 1, 1, 1, 1, 1),      // 1x1 with padding
        new Case(1, 3, 10, 13, 5, 3, 1, 1, 1, 1),    // 3x3, non-square input, batch 1
        new Case(3, 4, 11, 8, 6, 3, 2, 1, 1, 1),     // 3x3 stride 2, batch 3
        new Case(2, 4, 12, 9, 4, 3, 1, 2, 2, 1),     // dilation 2
        new Case(1, 2, 9, 14, 3, 5, 1, 2, 1, 1),     // 5x5
        new Case(2, 3, 23, 17, 8, 7, 2, 3, 1, 1),    // 7x7/2, the ResNet stem
        new Case(3, 6, 9, 7, 4, 3, 1, 1, 1, 2),      // groups 2
        new Case(2, 5, 8, 9, 5, 3, 1, 1, 1, 5),      // depthwise
        new Case(3, 4, 10, 7, 8, 3, 2, 1, 1, 4),     // depthwise, channel multiplier 2, stride 2
        new Case(1, 6, 5, 5, 6, 3, 1, 0, 2, 3),      // groups 3, dilation 2, kernel fills the input
        new Case(1, 32, 18, 17, 70, 3, 1, 1, 1, 1),  // GEMM with partial tiles in m, n and k; batch 1
        new Case(3, 32, 18, 17, 70, 3, 1, 1, 1, 1),  // the same with batch 3 (parallel over images)
        new Case(2, 3, 5, 6, 2, 3, 4, 0, 1, 1),      // stride larger than the kernel: untouched input pixels
        new Case(2, 2, 7, 11, 3, 1, 3, new ConvSpec(2, 1, 0, 1, 1, 2, 1)), // 1x3 kernel, anisotropic spec
        new Case(1, 3, 8, 6, 2, 2, 3, new ConvSpec(1, 2, 1, 0, 3, 1, 1)),  // 2x3 kernel, dilation 3x1
        new Case(1, 2, 2, 2, 3, 3, 1, 2, 1, 1),      // padding as wide as the input: a tap left of every pixel
        new Case(1, 2, 2, 2, 3, 3, 2, 2, 2, 1),      // stride 2, dilation 2: a tap just right of every pixel
    };

    private final Random random = new Random(11);

    @Test
    void forwardMatchesReference() {
        for (Case cs : CASES) {
            float[] x = KernelAssert.uniform(random, prod(cs.xDims())), w = KernelAssert.uniform(random, prod(cs.wDims()));
            float[] expected = new float[prod(cs.yDims())], actual = KernelAssert.uniform(random, expected.length);
            CpuConvReference.forward(x, cs.xDims(), w, cs.wDims(), expected, cs.yDims(), cs.spec());
            CpuConv.forward(x, cs.xDims(), w, cs.wDims(), actual, cs.yDims(), cs.spec(), CpuConv.COLUMN_BUDGET);
            KernelAssert.assertClose("forward " + cs, expected, actual);
        }
    }

    @Test
    void backwardDataMatchesReference() {
        for (Case cs : CASES) {
            float[] dy = KernelAssert.uniform(random, prod(cs.yDims())), w = KernelAssert.uniform(random, prod(cs.wDims()));
            float[] expected = new float[prod(cs.xDims())], actual = KernelAssert.uniform(random, expected.length);
            CpuConvReference.backwardData(dy, cs.yDims(), w, cs.wDims(), expected, cs.xDims(), cs.spec());
            CpuConv.backwardData(dy, cs.yDims(), w, cs.wDims(), actual, cs.xDims(), cs.spec(), CpuConv.COLUMN_BUDGET);
            KernelAssert.assertClose("backward data " + cs, expected, actual);
        }
    }

    @Test
    void backwardFilterMatchesReference() {
        for (Case cs : CASES) {
            float[] x = KernelAssert.uniform(random, prod(cs.xDims())), dy = KernelAssert.uniform(random, prod(cs.yDims()));
            float[] expected = new float[prod(cs.wDims())], actual = KernelAssert.uniform(random, expected.length);
            CpuConvReference.backwardFilter(x, cs.xDims(), dy, cs.yDims(), expected, cs.wDims(), cs.spec());
            CpuConv.backwardFilter(x, cs.xDims(), dy, cs.yDims(), actual, cs.wDims(), cs.spec(), CpuConv.COLUMN_BUDGET);
            // dW sums N*P*Q products (up to ~900 here): allow for the longer sums
            KernelAssert.assertClose("backward filter " + cs, expected, actual, expected.length, 2e-4, 1e-4);
        }
    }

    @Test
    void backwardBiasMatchesReference() {
        for (Case cs : CASES) {
            float[] dy = KernelAssert.uniform(random, prod(cs.yDims()));
            float[] expected = new float[cs.k()], actual = KernelAssert.uniform(random, cs.k());
            CpuConvReference.backwardBias(dy, cs.yDims(), expected);
            CpuConv.backwardBias(dy, cs.yDims(), actual);
            KernelAssert.assertClose("backward bias " + cs, expected, actual);
        }
    }

    /** A budget of one output row per band: exercises the band loop (partial bands included) on small shapes. */
    @Test
    void bandsOfOutputRowsMatchReference() {
        for (Case cs : CASES) {
            int budget = (cs.c() / cs.spec().groups()) * cs.r() * cs.s() * cs.yDims()[3] * 2 - 1; // 1 row per band
            float[] x = KernelAssert.uniform(random, prod(cs.xDims())), w = KernelAssert.uniform(random, prod(cs.wDims()));
            float[] dy = KernelAssert.uniform(random, prod(cs.yDims()));
            float[] y = new float[dy.length], yRef = new float[dy.length];
            CpuConvReference.forward(x, cs.xDims(), w, cs.wDims(), yRef, cs.yDims(), cs.spec());
            CpuConv.forward(x, cs.xDims(), w, cs.wDims(), y, cs.yDims(), cs.spec(), budget);
            KernelAssert.assertClose("banded forward " + cs, yRef, y);
            float[] dx = new float[x.length], dxRef = new float[x.length];
            CpuConvReference.backwardData(dy, cs.yDims(), w, cs.wDims(), dxRef, cs.xDims(), cs.spec());
            CpuConv.backwardData(dy, cs.yDims(), w, cs.wDims(), dx, cs.xDims(), cs.spec(), budget);
            KernelAssert.assertClose("banded backward data " + cs, dxRef, dx);
            float[] dw = new float[w.length], dwRef = new float[w.length];
            CpuConvReference.backwardFilter(x, cs.xDims(), dy, cs.yDims(), dwRef, cs.wDims(), cs.spec());
            CpuConv.backwardFilter(x, cs.xDims(), dy, cs.yDims(), dw, cs.wDims(), cs.spec(), budget);
            KernelAssert.assertClose("banded backward filter " + cs, dwRef, dw, dw.length, 2e-4, 1e-4);
        }
    }

    /**
     * A budget of two images' column matrices: images go two to a matrix, the last batch partial where N is odd
     * (the tie-break of {@link CpuConv#batchSize} keeps the larger batch). The filter gradient runs both ways:
     * through per-part partial sums and in a single pass (threshold 0) with the images as the GEMM's depth.
     */
    @Test
    void batchesOfImagesMatchReference() {
        for (Case cs : CASES) {
            int[] yd = cs.yDims();
            int budget = 2 * (cs.c() / cs.spec().groups()) * cs.r() * cs.s() * yd[2] * yd[3];
            float[] x = KernelAssert.uniform(random, prod(cs.xDims())), w = KernelAssert.uniform(random, prod(cs.wDims()));
            float[] dy = KernelAssert.uniform(random, prod(yd));
            float[] y = new float[dy.length], yRef = new float[dy.length];
            CpuConvReference.forward(x, cs.xDims(), w, cs.wDims(), yRef, yd, cs.spec());
            CpuConv.forward(x, cs.xDims(), w, cs.wDims(), y, yd, cs.spec(), budget);
            KernelAssert.assertClose("batched forward " + cs, yRef, y);
            float[] dx = KernelAssert.uniform(random, x.length), dxRef = new float[x.length];
            CpuConvReference.backwardData(dy, yd, w, cs.wDims(), dxRef, cs.xDims(), cs.spec());
            CpuConv.backwardData(dy, yd, w, cs.wDims(), dx, cs.xDims(), cs.spec(), budget);
            KernelAssert.assertClose("batched backward data " + cs, dxRef, dx);
            float[] dwRef = new float[w.length];
            CpuConvReference.backwardFilter(x, cs.xDims(), dy, yd, dwRef, cs.wDims(), cs.spec());
            for (int singlePassMin : new int[] {Integer.MAX_VALUE, 0}) {
                for (int b : new int[] {budget, 1, CpuConv.COLUMN_BUDGET}) {
                    float[] dw = KernelAssert.uniform(random, w.length);
                    CpuConv.backwardFilter(x, cs.xDims(), dy, yd, dw, cs.wDims(), cs.spec(), b, singlePassMin);
                    KernelAssert.assertClose("backward filter " + cs + " budget " + b + " single pass from "
                            + singlePassMin, dwRef, dw, dw.length, 2e-4, 1e-4);
                }
            }
        }
    }

    @Test
    void batchSizeWastesFewestColumnBlocks() {
        // 7x7 outputs (49 columns an image), 16 images: nine to a matrix fill 441 of 448 columns, 7 then 343 of 384
        assertEquals(9, CpuConv.batchSize(16, 49, 9));
        // four or fewer: every choice rounds 16 images up to 1024 columns; the largest batch wins the tie
        assertEquals(4, CpuConv.batchSize(16, 49, 4));
        // 28x28 (784 columns): two images fill 1568 of 1600, one image 784 of 832
        assertEquals(2, CpuConv.batchSize(8, 784, 2));
        assertEquals(1, CpuConv.batchSize(8, 784, 1));
        assertEquals(1, CpuConv.batchSize(8, 784, 0));
        // 64 columns an image: no waste at any size, so the largest
        assertEquals(5, CpuConv.batchSize(7, 64, 5));
    }

    @Test
    void concurrentForwardCallsDoNotInterfere() throws Exception {
        KernelAssert.concurrently(4, id -> {
            Random r = new Random(200 + id);
            for (int rep = 0; rep < 4; rep++) {
                Case cs = CASES[(id * 5 + rep * 3) % CASES.length];
                float[] x = KernelAssert.uniform(r, prod(cs.xDims())), w = KernelAssert.uniform(r, prod(cs.wDims()));
                float[] expected = new float[prod(cs.yDims())], actual = new float[expected.length];
                CpuConvReference.forward(x, cs.xDims(), w, cs.wDims(), expected, cs.yDims(), cs.spec());
                CpuConv.forward(x, cs.xDims(), w, cs.wDims(), actual, cs.yDims(), cs.spec(), CpuConv.COLUMN_BUDGET);
                KernelAssert.assertClose("concurrent forward " + cs, expected, actual);
                // dy in [-1, 1) like the other backward-filter tests, so the same tolerance applies
                float[] dy = KernelAssert.uniform(r, expected.length);
                float[] dwRef = new float[prod(cs.wDims())], dw = new float[dwRef.length];
                CpuConvReference.backwardFilter(x, cs.xDims(), dy, cs.yDims(), dwRef, cs.wDims(), cs.spec());
                CpuConv.backwardFilter(x, cs.xDims(), dy, cs.yDims(), dw, cs.wDims(), cs.spec(),
                        CpuConv.COLUMN_BUDGET);
                KernelAssert.assertClose("concurrent backward filter " + cs, dwRef, dw, dw.length, 2e-4, 1e-4);
            }
        });
    }

    /** The weight gradient's per-part sums, added in parallel ranges (3 on 3 threads here): each index once. */
    @Test
    void partsAreAddedOverParallelRanges() {
        int size = 40_000, parts = 3;
        float[] partial = KernelAssert.uniform(random, parts * size);
        float[] out = new float[size];
        try (CpuThreads.PoolScope pool = CpuThreads.useThreads(3)) {
            CpuConv.addParts(partial, parts, size, out);
        }
        for (int i = 0; i < size; i++) {
            assertEquals(partial[i] + partial[size + i] + partial[2 * size + i], out[i], 0f, "index " + i);
        }
    }

    static int prod(int[] dims) {
        int p = 1;
        for (int d : dims) {
            p *= d;
        }
        return p;
    }
}
