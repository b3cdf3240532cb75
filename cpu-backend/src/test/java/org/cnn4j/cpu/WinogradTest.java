package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

import org.cnn4j.backend.ConvSpec;
import org.junit.jupiter.api.Test;

/**
 * Winograd F(4x4, 3x3) convolution (all three passes) against a double-precision direct convolution computed
 * here, on random shapes with output sizes that are not multiples of the tile, paddings 0 to 2 and chunk
 * budgets small enough to force many chunks (and chunks that span images).
 *
 * <p>Error bound. Each result is a sum of products; let S be the sum of their absolute values (computed in
 * double beside the exact result). Direct float32 summation errs by at most ~n * 2^-24 * S. Winograd's
 * transforms amplify rounding: the entries of B^T, A^T reach 5 and 8 and their row sums of absolute values
 * reach 10 and 18, so the intermediate tiles carry magnitudes up to ~100x those of the data and each rounding
 * there is scaled back by the inverse transforms. We bound the error by 2^-24 * S * 256 (about 1.5e-5 * S):
 * the measured worst case over these shapes (printed) is about 40 * 2^-24 * S, so the bound leaves 6x margin.
 * A wrong or missing term changes a result by about S / terms, far above the bound for the shapes here.
 */
class WinogradTest {
    private static final double BOUND = 256;
    private static final double ULP_FACTOR = BOUND * Math.ulp(1f) / 2; // BOUND * 2^-24

    /** n, c, h, w, k, padH, padW, budget (floats of scratch per buffer, small = many chunks). */
    private static final int[][] CASES = {
        {1, 16, 8, 8, 16, 1, 1, 1 << 20},     // exactly two tiles per axis
        {2, 17, 9, 11, 19, 1, 1, 36 * 19 * 5}, // partial tiles, chunks of 5 tiles spanning both images
        {3, 16, 7, 5, 20, 0, 0, 36 * 20 * 3}, // no padding, tiny output (5x3)
        {1, 24, 13, 6, 16, 2, 2, 1 << 20},    // padding 2 (backward data then has padding 0)
        {2, 16, 10, 9, 33, 1, 0, 36 * 33 * 7}, // anisotropic padding
        {1, 40, 14, 14, 48, 1, 1, 36 * 48 * 4}, // ResNet-like 14x14 with a 3.5-tile edge
        {1, 16, 16, 10, 16, 0, 0, 1 << 20},   // no padding, taller than wide: inside patches away from row 0
    };

    private final Random random = new Random(5);

    @Test
    void forwardBackwardDataAndFilterMatchDoublePrecision() {
        double worst = 0;
        for (int[] cs : CASES) {
            int n = cs[0], c = cs[1], h = cs[2], w = cs[3], k = cs[4], budget = cs[7];
            ConvSpec spec = new ConvSpec(1, 1, cs[5], cs[6], 1, 1, 1);
            int p = spec.outH(h, 3), q = spec.outW(w, 3);
            int[] xd = {n, c, h, w}, wd = {k, c, 3, 3}, yd = {n, k, p, q};
            assertTrue(Winograd.appliesBackwardData(xd, wd, spec), "case must take the Winograd path");
            float[] x = KernelAssert.uniform(random, n * c * h * w), wt = KernelAssert.uniform(random, k * c * 9);
            float[] dy = KernelAssert.uniform(random, n * k * p * q);
            String name = java.util.Arrays.toString(cs);
            Exact exact = new Exact(x, xd, wt, wd, dy, yd, spec);

            float[] y = KernelAssert.uniform(random, dy.length);
            Winograd.forward(x, xd, wt, wd, y, yd, spec, budget);
            worst = Math.max(worst, check("forward " + name, y, exact.y, exact.yScale));

            float[] dx = KernelAssert.uniform(random, x.length);
            Winograd.backwardData(dy, yd, wt, wd, dx, xd, spec, budget);
            worst = Math.max(worst, check("backward data " + name, dx, exact.dx, exact.dxScale));

            float[] dw = KernelAssert.uniform(random, wt.length);
            Winograd.backwardFilter(x, xd, dy, yd, dw, wd, spec, budget);
            worst = Math.max(worst, check("backward filter " + name, dw, exact.dw, exact.dwScale));
        }
        System.out.printf("Winograd worst error / (2^-24 * S): %.1f (bound %.0f)%n", worst / (ULP_FACTOR / BOUND),
                BOUND);
    }

    /**
     * Each pass alone on a new thread with one worker, so that everything runs on that thread and its scratch arrays
     * start empty: a pass that asked for less scratch than it uses fails here. (In the test above, earlier cases
     * have already grown the scratch of the threads they ran on, which would hide it.)
     */
    @Test
    void eachPassSizesItsScratchOnAFreshThread() throws InterruptedException {
        for (int[] cs : new int[][] {CASES[1], CASES[5]}) {
            int n = cs[0], c = cs[1], h = cs[2], w = cs[3], k = cs[4], budget = cs[7];
            ConvSpec spec = new ConvSpec(1, 1, cs[5], cs[6], 1, 1, 1);
            int[] xd = {n, c, h, w}, wd = {k, c, 3, 3}, yd = {n, k, spec.outH(h, 3), spec.outW(w, 3)};
            float[] x = KernelAssert.uniform(random, n * c * h * w), wt = KernelAssert.uniform(random, k * c * 9);
            float[] dy = KernelAssert.uniform(random, CpuConvKernelTest.prod(yd));
            Exact exact = new Exact(x, xd, wt, wd, dy, yd, spec);
            String name = java.util.Arrays.toString(cs);
            float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
            onFreshThread(() -> Winograd.forward(x, xd, wt, wd, y, yd, spec, budget));
            check("forward on a fresh thread " + name, y, exact.y, exact.yScale);
            onFreshThread(() -> Winograd.backwardData(dy, yd, wt, wd, dx, xd, spec, budget));
            check("backward data on a fresh thread " + name, dx, exact.dx, exact.dxScale);
            onFreshThread(() -> Winograd.backwardFilter(x, xd, dy, yd, dw, wd, spec, budget));
            check("backward filter on a fresh thread " + name, dw, exact.dw, exact.dwScale);
        }
    }

    private static void onFreshThread(Runnable pass) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try (CpuThreads.PoolScope one = CpuThreads.useThreads(1)) {
                pass.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw new AssertionError("the pass failed on a fresh thread", failure[0]);
        }
    }

    /**
     * Through CpuConv's dispatch, against the float32 reference loops (the backend's oracle): a 3x3 convolution
     * with enough output pixels ({@link Winograd#MIN_PIXELS}) to take the Winograd path, and the same sizes with
     * dilation 2 or 2 groups, which Winograd does not handle and must leave to im2col. Tolerance per element: the
     * Winograd bound plus the reference's own worst-case summation error, terms * 2^-24 * S.
     */
    @Test
    void cpuConvDispatchMatchesReference() {
        int[] xd = {2, 16, 32, 32};
        dispatch(xd, new int[] {16, 16, 3, 3}, ConvSpec.of(1, 1), true);
        dispatch(xd, new int[] {16, 16, 3, 3}, ConvSpec.of(1, 2, 2, 1), false);
        dispatch(xd, new int[] {16, 8, 3, 3}, ConvSpec.of(1, 1, 1, 2), false);
        dispatch(new int[] {2, 32, 15, 13}, new int[] {24, 32, 3, 3}, ConvSpec.of(1, 1), false); // 390 pixels
    }

    private void dispatch(int[] xd, int[] wd, ConvSpec spec, boolean winograd) {
        int[] yd = {xd[0], wd[0], spec.outH(xd[2], 3), spec.outW(xd[3], 3)};
        String name = java.util.Arrays.toString(xd) + " w" + java.util.Arrays.toString(wd) + " " + spec;
        if (winograd) {
            assertTrue(Winograd.appliesBackwardData(xd, wd, spec) && Winograd.paysOff(yd),
                    name + " must take the Winograd path in all three passes");
        }
        float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
        float[] wt = KernelAssert.uniform(random, CpuConvKernelTest.prod(wd));
        float[] dy = KernelAssert.uniform(random, CpuConvKernelTest.prod(yd));
        Exact exact = new Exact(x, xd, wt, wd, dy, yd, spec);
        float[] y = new float[dy.length], yRef = new float[dy.length];
        CpuConv.forward(x, xd, wt, wd, y, yd, spec);
        CpuConvReference.forward(x, xd, wt, wd, yRef, yd, spec);
        checkAgainstReference("forward " + name, y, yRef, exact.yScale, wd[1] * 9);
        float[] dx = new float[x.length], dxRef = new float[x.length];
        CpuConv.backwardData(dy, yd, wt, wd, dx, xd, spec);
        CpuConvReference.backwardData(dy, yd, wt, wd, dxRef, xd, spec);
        checkAgainstReference("backward data " + name, dx, dxRef, exact.dxScale, wd[0] * 9);
        float[] dw = new float[wt.length], dwRef = new float[wt.length];
        CpuConv.backwardFilter(x, xd, dy, yd, dw, wd, spec);
        CpuConvReference.backwardFilter(x, xd, dy, yd, dwRef, wd, spec);
        checkAgainstReference("backward filter " + name, dw, dwRef, exact.dwScale, yd[0] * yd[2] * yd[3]);
    }

    private static void checkAgainstReference(String what, float[] actual, float[] reference, double[] scale,
                                              int terms) {
        for (int i = 0; i < actual.length; i++) {
            double bound = (BOUND + terms) * Math.ulp(1f) / 2 * scale[i];
            if (!(Math.abs(actual[i] - reference[i]) <= bound)) {
                fail(what + ": element " + i + " reference " + reference[i] + " got " + actual[i] + " (bound " + bound
                        + ")");
            }
        }
    }

    /** Returns the worst |actual - exact| / S; fails when any element exceeds the bound. */
    private static double check(String what, float[] actual, double[] exact, double[] scale) {
        double worst = 0;
        for (int i = 0; i < exact.length; i++) {
            double err = Math.abs(actual[i] - exact[i]);
            if (!(err <= ULP_FACTOR * scale[i])) {
                fail(what + ": element " + i + " expected " + exact[i] + " got " + actual[i] + " (bound "
                        + ULP_FACTOR * scale[i] + ")");
            }
            worst = Math.max(worst, err / scale[i]);
        }
        return worst;
    }

    /**
     * The three passes in double precision over the reference's taps, each result with its scale S, the sum of
     * the absolute values of its products.
     */
    private static final class Exact {
        final double[] y, yScale, dx, dxScale, dw, dwScale;

        Exact(float[] x, int[] xd, float[] w, int[] wd, float[] dy, int[] yd, ConvSpec spec) {
            y = new double[dy.length];
            yScale = new double[dy.length];
            dx = new double[x.length];
            dxScale = new double[x.length];
            dw = new double[w.length];
            dwScale = new double[w.length];
            CpuConvReference.forEachTap(xd, wd, yd, spec, (xi, wi, yi) -> {
                double fwd = (double) x[xi] * w[wi], data = (double) dy[yi] * w[wi], filter = (double) dy[yi] * x[xi];
                y[yi] += fwd;
                yScale[yi] += Math.abs(fwd);
                dx[xi] += data;
                dxScale[xi] += Math.abs(data);
                dw[wi] += filter;
                dwScale[wi] += Math.abs(filter);
            });
        }
    }
}
