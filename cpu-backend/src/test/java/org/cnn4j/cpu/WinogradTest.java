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

            float[] y = KernelAssert.uniform(random, dy.length);
            Winograd.forward(x, xd, wt, wd, y, yd, spec, budget);
            worst = Math.max(worst, check("forward " + name, y, directForward(x, xd, wt, wd, yd, spec)));

            float[] dx = KernelAssert.uniform(random, x.length);
            Winograd.backwardData(dy, yd, wt, wd, dx, xd, spec, budget);
            worst = Math.max(worst, check("backward data " + name, dx, directBackwardData(dy, yd, wt, wd, xd, spec)));

            float[] dw = KernelAssert.uniform(random, wt.length);
            Winograd.backwardFilter(x, xd, dy, yd, dw, wd, spec, budget);
            worst = Math.max(worst, check("backward filter " + name, dw,
                    directBackwardFilter(x, xd, dy, yd, wd, spec)));
        }
        System.out.printf("Winograd worst error / (2^-24 * S): %.1f (bound %.0f)%n", worst / (ULP_FACTOR / BOUND),
                BOUND);
    }

    /**
     * Through CpuConv's dispatch, against the float32 reference loops (the backend's oracle). Tolerance per
     * element: the Winograd bound plus the reference's own worst-case summation error, terms * 2^-24 * S.
     */
    @Test
    void cpuConvDispatchMatchesReference() {
        int[] xd = {2, 32, 15, 13}, wd = {24, 32, 3, 3}, yd = {2, 24, 15, 13};
        ConvSpec spec = ConvSpec.of(1, 1);
        float[] x = KernelAssert.uniform(random, 2 * 32 * 15 * 13), wt = KernelAssert.uniform(random, 24 * 32 * 9);
        float[] dy = KernelAssert.uniform(random, 2 * 24 * 15 * 13);
        float[] y = new float[dy.length], yRef = new float[dy.length];
        CpuConv.forward(x, xd, wt, wd, y, yd, spec);
        CpuConvReference.forward(x, xd, wt, wd, yRef, yd, spec);
        checkAgainstReference("forward", y, yRef, directForward(x, xd, wt, wd, yd, spec)[1], 32 * 9);
        float[] dx = new float[x.length], dxRef = new float[x.length];
        CpuConv.backwardData(dy, yd, wt, wd, dx, xd, spec);
        CpuConvReference.backwardData(dy, yd, wt, wd, dxRef, xd, spec);
        checkAgainstReference("backward data", dx, dxRef, directBackwardData(dy, yd, wt, wd, xd, spec)[1], 24 * 9);
        float[] dw = new float[wt.length], dwRef = new float[wt.length];
        CpuConv.backwardFilter(x, xd, dy, yd, dw, wd, spec);
        CpuConvReference.backwardFilter(x, xd, dy, yd, dwRef, wd, spec);
        checkAgainstReference("backward filter", dw, dwRef, directBackwardFilter(x, xd, dy, yd, wd, spec)[1],
                2 * 15 * 13);
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
    private static double check(String what, float[] actual, double[][] exactAndScale) {
        double[] exact = exactAndScale[0], scale = exactAndScale[1];
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

    private static double[][] directForward(float[] x, int[] xd, float[] w, int[] wd, int[] yd, ConvSpec spec) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3], k = wd[0], p = yd[2], q = yd[3];
        double[] y = new double[n * k * p * q], s = new double[y.length];
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int ip = 0; ip < p; ip++) {
                    for (int iq = 0; iq < q; iq++) {
                        int o = ((in * k + ik) * p + ip) * q + iq;
                        for (int ic = 0; ic < c; ic++) {
                            for (int r = 0; r < 3; r++) {
                                for (int t = 0; t < 3; t++) {
                                    int ih = ip - spec.padH() + r, iw = iq - spec.padW() + t;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wi) {
                                        double v = (double) x[((in * c + ic) * h + ih) * wi + iw]
                                                * w[((ik * c + ic) * 3 + r) * 3 + t];
                                        y[o] += v;
                                        s[o] += Math.abs(v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {y, s};
    }

    private static double[][] directBackwardData(float[] dy, int[] yd, float[] w, int[] wd, int[] xd, ConvSpec spec) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3], k = wd[0], p = yd[2], q = yd[3];
        double[] dx = new double[n * c * h * wi], s = new double[dx.length];
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int ip = 0; ip < p; ip++) {
                    for (int iq = 0; iq < q; iq++) {
                        double g = dy[((in * k + ik) * p + ip) * q + iq];
                        for (int ic = 0; ic < c; ic++) {
                            for (int r = 0; r < 3; r++) {
                                for (int t = 0; t < 3; t++) {
                                    int ih = ip - spec.padH() + r, iw = iq - spec.padW() + t;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wi) {
                                        int o = ((in * c + ic) * h + ih) * wi + iw;
                                        double v = g * w[((ik * c + ic) * 3 + r) * 3 + t];
                                        dx[o] += v;
                                        s[o] += Math.abs(v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, s};
    }

    private static double[][] directBackwardFilter(float[] x, int[] xd, float[] dy, int[] yd, int[] wd,
                                                   ConvSpec spec) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3], k = wd[0], p = yd[2], q = yd[3];
        double[] dw = new double[k * c * 9], s = new double[dw.length];
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int ip = 0; ip < p; ip++) {
                    for (int iq = 0; iq < q; iq++) {
                        double g = dy[((in * k + ik) * p + ip) * q + iq];
                        for (int ic = 0; ic < c; ic++) {
                            for (int r = 0; r < 3; r++) {
                                for (int t = 0; t < 3; t++) {
                                    int ih = ip - spec.padH() + r, iw = iq - spec.padW() + t;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wi) {
                                        int o = ((ik * c + ic) * 3 + r) * 3 + t;
                                        double v = g * x[((in * c + ic) * h + ih) * wi + iw];
                                        dw[o] += v;
                                        s[o] += Math.abs(v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dw, s};
    }
}
