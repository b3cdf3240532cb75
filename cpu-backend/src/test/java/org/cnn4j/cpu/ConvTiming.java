package org.cnn4j.cpu;

import java.util.Arrays;
import java.util.Random;

import org.cnn4j.backend.ConvSpec;

/**
 * Not a test: times the 3x3 stride-1 convolutions of ResNet (forward, backward data, backward filter), Winograd
 * against im2col + GEMM in the same process, printing median and best of 5 runs after warm-up. Run with the
 * cpu-backend test classpath; optional argument: the shapes to run, as indices into {@link #SHAPES}.
 */
public final class ConvTiming {
    /** N, C, H, W, K; 3x3, stride 1, padding 1. */
    private static final int[][] SHAPES = {{32, 64, 56, 56, 64}, {32, 128, 28, 28, 128}, {32, 256, 14, 14, 256}};

    private ConvTiming() {
    }

    public static void main(String[] args) {
        System.out.println("threads: " + CpuThreads.parallelism());
        Random random = new Random(1);
        int[] which = args.length == 0 ? new int[] {0, 1, 2} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int i : which) {
            int n = SHAPES[i][0], c = SHAPES[i][1], h = SHAPES[i][2], w = SHAPES[i][3], k = SHAPES[i][4];
            ConvSpec spec = ConvSpec.of(1, 1);
            int[] xd = {n, c, h, w}, wd = {k, c, 3, 3}, yd = {n, k, h, w};
            float[] x = fill(random, n * c * h * w), wt = fill(random, k * c * 9), y = new float[n * k * h * w];
            float[] dx = new float[x.length], dw = new float[wt.length];
            double flops = 2.0 * n * k * h * w * c * 9;
            String name = "N" + n + " C" + c + "->" + k + " " + h + "x" + w;
            int budget = CpuConv.COLUMN_BUDGET;
            report(name + " fwd  winograd", flops, () -> CpuConv.forward(x, xd, wt, wd, y, yd, spec));
            report(name + " fwd  im2col", flops, () -> CpuConv.forward(x, xd, wt, wd, y, yd, spec, budget));
            report(name + " data winograd", flops, () -> CpuConv.backwardData(y, yd, wt, wd, dx, xd, spec));
            report(name + " data im2col", flops, () -> CpuConv.backwardData(y, yd, wt, wd, dx, xd, spec, budget));
            report(name + " filt winograd", flops, () -> CpuConv.backwardFilter(x, xd, y, yd, dw, wd, spec));
            report(name + " filt im2col", flops, () -> CpuConv.backwardFilter(x, xd, y, yd, dw, wd, spec, budget));
        }
    }

    private static float[] fill(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextFloat() - 0.5f;
        }
        return v;
    }

    private static void report(String name, double flops, Runnable op) {
        for (int i = 0; i < 2; i++) {
            op.run();
        }
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            op.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-34s median %7.1f ms (%6.1f GFLOP/s)  best %7.1f ms (%6.1f GFLOP/s)%n", name, ms[2],
                flops / ms[2] / 1e6, ms[0], flops / ms[0] / 1e6);
    }
}
