package org.cnn4j.cpu;

import java.util.Arrays;
import java.util.Random;

import org.cnn4j.backend.ConvSpec;

/**
 * Not a test: times conv2d forward (3x3, N=32, C=64 -> 64, 56x56, pad 1) and SGEMM 2048^3 on the fast kernels,
 * median of 5 runs after warm-up, printing ms and GFLOP/s. Run with the cpu-backend test classpath.
 */
public final class ConvTiming {
    private ConvTiming() {
    }

    public static void main(String[] args) {
        System.out.println("threads: " + CpuThreads.parallelism());
        Random random = new Random(1);
        int n = 32, c = 64, k = 64, h = 56, w = 56;
        ConvSpec spec = ConvSpec.of(1, 1);
        int[] xd = {n, c, h, w}, wd = {k, c, 3, 3}, yd = {n, k, h, w};
        float[] x = fill(random, n * c * h * w), wt = fill(random, k * c * 9), y = new float[n * k * h * w];
        double convFlops = 2.0 * n * k * h * w * c * 9;
        report("conv2d fwd 3x3 N32 C64->64 56x56", convFlops,
                () -> CpuConv.forward(x, xd, wt, wd, y, yd, spec));
        float[] dx = new float[x.length], dw = new float[wt.length];
        report("conv2d bwd data", convFlops, () -> CpuConv.backwardData(y, yd, wt, wd, dx, xd, spec));
        report("conv2d bwd filter", convFlops, () -> CpuConv.backwardFilter(x, xd, y, yd, dw, wd, spec));

        int m = 2048;
        float[] a = fill(random, m * m), b = fill(random, m * m), out = new float[m * m];
        report("sgemm 2048^3", 2.0 * m * m * m, () -> CpuGemm.gemm(false, false, m, m, m, 1f, a, 0, b, 0, 0f, out, 0));
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
        double median = ms[ms.length / 2];
        System.out.printf("%-36s median %8.1f ms  %6.1f GFLOP/s  (runs %s)%n", name, median, flops / median / 1e6,
                Arrays.toString(Arrays.stream(ms).map(v -> Math.round(v)).toArray()));
    }
}
