package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend gives the same bits whatever its thread count: every multi-threaded kernel, on shapes that take
 * each of its parallel paths, and a few training steps of a small network, at 1, 2, 3 and 5 threads. (Equality is
 * exact: {@code assertArrayEquals} on floats compares their bits.)
 */
class ThreadCountDeterminismTest {
    private static final int[] THREADS = {2, 3, 5};

    /** Runs {@code compute} at one thread and at each of {@link #THREADS}; all results must be bit-identical. */
    private static void sameBitsAtEveryThreadCount(String what, Supplier<float[]> compute) {
        float[] single;
        try (CpuThreads.PoolScope one = CpuThreads.useThreads(1)) {
            single = compute.get();
        }
        for (int threads : THREADS) {
            try (CpuThreads.PoolScope scope = CpuThreads.useThreads(threads)) {
                assertArrayEquals(single, compute.get(), what + " at " + threads + " threads vs 1");
            }
        }
    }

    private final Random random = new Random(3);

    /** x dims, w dims, spec: one case per parallel path of the convolution kernels. */
    private record Conv(int[] xd, int[] wd, ConvSpec spec) {
        int[] yd() {
            return new int[] {xd[0], wd[0], spec.outH(xd[2], wd[2]), spec.outW(xd[3], wd[3])};
        }
    }

    private static final Conv[] CONVS = {
        new Conv(new int[] {16, 8, 12, 12}, new int[] {12, 8, 3, 3}, ConvSpec.of(1, 1)),          // im2col, images split
        new Conv(new int[] {1, 8, 20, 20}, new int[] {24, 8, 3, 3}, ConvSpec.of(2, 1)),           // one image: GEMM splits
        new Conv(new int[] {6, 12, 10, 10}, new int[] {12, 1, 3, 3}, ConvSpec.of(1, 1, 1, 12)),   // depthwise: groups split
        new Conv(new int[] {9, 4, 9, 9}, new int[] {6, 2, 1, 1}, ConvSpec.of(1, 0, 1, 2)),        // 1x1 (identity), groups 2
        new Conv(new int[] {8, 16, 16, 16}, new int[] {16, 16, 3, 3}, ConvSpec.of(1, 1)),         // Winograd (2048 pixels)
        new Conv(new int[] {12, 24, 14, 15}, new int[] {20, 24, 3, 3}, ConvSpec.of(1, 1)),        // Winograd, partial tiles
        new Conv(new int[] {5, 64, 6, 6}, new int[] {128, 64, 3, 3}, ConvSpec.of(2, 1)),          // single-pass dW
    };

    @Test
    void convolutionsInAllThreePasses() {
        for (Conv cv : CONVS) {
            int[] xd = cv.xd(), wd = cv.wd(), yd = cv.yd();
            float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
            float[] w = KernelAssert.uniform(random, CpuConvKernelTest.prod(wd));
            float[] dy = KernelAssert.uniform(random, CpuConvKernelTest.prod(yd));
            String name = java.util.Arrays.toString(xd) + " w" + java.util.Arrays.toString(wd) + " " + cv.spec();
            sameBitsAtEveryThreadCount("forward " + name, () -> {
                float[] y = new float[dy.length];
                CpuConv.forward(x, xd, w, wd, y, yd, cv.spec());
                return y;
            });
            sameBitsAtEveryThreadCount("backward data " + name, () -> {
                float[] dx = new float[x.length];
                CpuConv.backwardData(dy, yd, w, wd, dx, xd, cv.spec());
                return dx;
            });
            sameBitsAtEveryThreadCount("backward filter " + name, () -> {
                float[] dw = new float[w.length];
                CpuConv.backwardFilter(x, xd, dy, yd, dw, wd, cv.spec());
                return dw;
            });
            sameBitsAtEveryThreadCount("backward bias " + name, () -> {
                float[] db = new float[wd[0]];
                CpuConv.backwardBias(dy, yd, db);
                return db;
            });
        }
    }

    /** Images two to a column matrix (the last batch partial), the filter gradient by parts and in one pass. */
    @Test
    void convolutionBatchesOfImages() {
        int[] xd = {7, 6, 9, 8}, wd = {10, 6, 3, 3}, yd = {7, 10, 5, 4};
        ConvSpec spec = ConvSpec.of(2, 1);
        int budget = 2 * 6 * 9 * 5 * 4;
        float[] x = KernelAssert.uniform(random, 7 * 6 * 9 * 8), w = KernelAssert.uniform(random, 10 * 6 * 9);
        float[] dy = KernelAssert.uniform(random, 7 * 10 * 5 * 4);
        sameBitsAtEveryThreadCount("batched forward",
                () -> filled(dy.length, y -> CpuConv.forward(x, xd, w, wd, y, yd, spec, budget)));
        sameBitsAtEveryThreadCount("batched backward data",
                () -> filled(x.length, dx -> CpuConv.backwardData(dy, yd, w, wd, dx, xd, spec, budget)));
        for (int singlePassMin : new int[] {Integer.MAX_VALUE, 0}) {
            sameBitsAtEveryThreadCount("batched backward filter, single pass from " + singlePassMin,
                    () -> filled(w.length, dw -> CpuConv.backwardFilter(x, xd, dy, yd, dw, wd, spec, budget,
                            singlePassMin)));
        }
    }

    /** A new array of {@code length} floats after {@code kernel} has written it. */
    private static float[] filled(int length, java.util.function.Consumer<float[]> kernel) {
        float[] out = new float[length];
        kernel.accept(out);
        return out;
    }

    @Test
    void winogradWithManySmallChunks() {
        int[] xd = {3, 16, 13, 11}, wd = {17, 16, 3, 3}, yd = {3, 17, 13, 11};
        ConvSpec spec = ConvSpec.of(1, 1);
        float[] x = KernelAssert.uniform(random, 3 * 16 * 13 * 11), w = KernelAssert.uniform(random, 17 * 16 * 9);
        float[] dy = KernelAssert.uniform(random, 3 * 17 * 13 * 11);
        int budget = 36 * 17 * 5; // chunks of 5 tiles
        sameBitsAtEveryThreadCount("winograd forward", () -> {
            float[] y = new float[dy.length];
            Winograd.forward(x, xd, w, wd, y, yd, spec, budget);
            return y;
        });
        sameBitsAtEveryThreadCount("winograd backward filter", () -> {
            float[] dw = new float[w.length];
            Winograd.backwardFilter(x, xd, dy, yd, dw, wd, spec, budget);
            return dw;
        });
    }

    @Test
    void gemmInEveryTransposeCombination() {
        int m = 150, n = 1100, k = 300;
        float[] a = KernelAssert.uniform(random, m * k), b = KernelAssert.uniform(random, k * n);
        for (int combo = 0; combo < 4; combo++) {
            boolean ta = combo >= 2, tb = combo % 2 == 1;
            sameBitsAtEveryThreadCount("gemm " + ta + " " + tb, () -> {
                float[] c = new float[m * n];
                CpuGemm.gemm(ta, tb, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
                return c;
            });
            sameBitsAtEveryThreadCount("scalar gemm " + ta + " " + tb, () -> {
                float[] c = new float[m * n];
                CpuGemm.scalar(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
                return c;
            });
        }
    }

    @Test
    void reductionsToEveryKindOfShape() {
        int[] src = {64, 32, 9, 7};
        float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(src));
        int[][] targets = {{32, 1, 1}, {1, 32, 1, 1}, {64, 1, 1, 1}, {1}, {9, 7}, {64, 32, 1, 7}};
        for (int[] dst : targets) {
            sameBitsAtEveryThreadCount("sum to " + java.util.Arrays.toString(dst), () -> {
                float[] out = new float[CpuConvKernelTest.prod(dst)];
                CpuReduce.sumTo(x, src, out, dst);
                return out;
            });
        }
    }

    /** The parallel (fixed-parts) reduction against a plain double sum: per channel and over everything. */
    @Test
    void largeReductionsMatchAPlainSum() {
        int[] src = {64, 32, 9, 7};
        float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(src));
        double[] perChannel = new double[32];
        double all = 0;
        for (int i = 0; i < x.length; i++) {
            perChannel[(i / 63) % 32] += x[i];
            all += x[i];
        }
        float[] channels = new float[32], total = new float[1];
        CpuReduce.sumTo(x, src, channels, new int[] {32, 1, 1});
        CpuReduce.sumTo(x, src, total, new int[] {1});
        for (int c = 0; c < 32; c++) {
            assertEquals((float) perChannel[c], channels[c], Math.ulp((float) perChannel[c]), "channel " + c);
        }
        assertEquals((float) all, total[0], Math.ulp((float) all) + 1e-9, "total");
    }

    @Test
    void batchNormForwardAndBackward() {
        int[] xd = {16, 24, 10, 10};
        int c = xd[1];
        float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
        float[] dy = KernelAssert.uniform(random, x.length);
        float[] gamma = KernelAssert.uniform(random, c), beta = KernelAssert.uniform(random, c);
        sameBitsAtEveryThreadCount("batch norm", () -> {
            float[] rm = new float[c], rv = new float[c], mean = new float[c], inv = new float[c];
            float[] y = new float[x.length], dx = new float[x.length], dg = new float[c], db = new float[c];
            CpuBatchNorm.forwardTraining(x, xd, gamma, beta, rm, rv, 0.1f, 1e-5f, y, mean, inv);
            CpuBatchNorm.backward(x, xd, dy, gamma, mean, inv, dx, dg, db);
            return concat(y, rm, rv, dx, dg, db);
        });
    }

    /**
     * Three SGD steps (momentum, weight decay) of a net whose convolutions take both the im2col and the Winograd
     * path, with batch norm and a linear head: every loss and every parameter and buffer, bit for bit.
     */
    @Test
    void trainingStepsGiveTheSameLossesAndWeights() {
        CpuBackend cpu = new CpuBackend();
        Random r = new Random(9);
        float[] images = new float[8 * 3 * 16 * 16];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        sameBitsAtEveryThreadCount("training", () -> {
            List<float[]> out = new ArrayList<>();
            Init.manualSeed(5);
            try (Backends.Use use = Backends.use(cpu);
                 Sequential net = new Sequential(new Conv2d(3, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(),
                         new Conv2d(16, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                         new Flatten(), new Linear(16 * 8 * 8, 10));
                 Optimizer opt = new SGD(net.parameters(), 0.05, 0.9, 0, 1e-3, false)) {
                assertTrue(Winograd.appliesForward(new int[] {8, 16, 16, 16}, new int[] {16, 16, 3, 3},
                        ConvSpec.of(1, 1)) && Winograd.paysOff(new int[] {8, 16, 16, 16}),
                        "the second convolution must take the Winograd path");
                for (int step = 0; step < 3; step++) {
                    try (MemoryScope s = MemoryScope.open()) {
                        Tensor loss = Losses.crossEntropy(net.call(Tensor.of(cpu, images, Shape.of(8, 3, 16, 16))),
                                labels);
                        out.add(loss.toFloatArray());
                        opt.zeroGrad();
                        loss.backward();
                        opt.step();
                    }
                }
                net.stateDict().values().forEach(t -> out.add(t.toFloatArray()));
                opt.zeroGrad();
            }
            assertTrue(out.size() > 3 + 10, "losses, parameters and buffers");
            return concat(out.toArray(new float[0][]));
        });
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
