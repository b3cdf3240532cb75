package org.cnn4j.cpu;

import org.cnn4j.backend.PoolSpec;

/**
 * Pooling kernels, in parallel over the N*C planes; window bounds are computed once per output row and column.
 * Semantics (PyTorch's) are documented on {@link CpuPoolReference}, the loops these are tested against.
 */
final class CpuPool {
    private CpuPool() {
    }

    static void forward(float[] x, int[] xd, float[] y, int[] yd, PoolSpec s) {
        int h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        boolean max = s.mode() == PoolSpec.PoolMode.MAX;
        CpuThreads.parallelFor(xd[0] * xd[1], (long) p * q * s.kernelH() * s.kernelW(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * h * w, yOff = plane * p * q;
                for (int ip = 0; ip < p; ip++) {
                    int h0 = CpuPoolReference.rowStart(ip, s), h1 = CpuPoolReference.rowEnd(ip, s, h);
                    for (int iq = 0; iq < q; iq++) {
                        int w0 = CpuPoolReference.colStart(iq, s), w1 = CpuPoolReference.colEnd(iq, s, w);
                        y[yOff + ip * q + iq] = max ? windowMax(x, xOff, w, h0, h1, w0, w1)
                                : windowSum(x, xOff, w, h0, h1, w0, w1) / CpuPoolReference.avgDivisor(ip, iq, h, w, s);
                    }
                }
            }
        });
    }

    /** Writes dx (overwriting it): max routes dy to each window's first maximum, avg spreads dy / divisor. */
    static void backward(float[] x, int[] xd, float[] dy, int[] yd, float[] dx, PoolSpec s) {
        int h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        boolean max = s.mode() == PoolSpec.PoolMode.MAX;
        CpuThreads.parallelFor(xd[0] * xd[1], (long) p * q * s.kernelH() * s.kernelW(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * h * w, yOff = plane * p * q;
                java.util.Arrays.fill(dx, xOff, xOff + h * w, 0f);
                for (int ip = 0; ip < p; ip++) {
                    int h0 = CpuPoolReference.rowStart(ip, s), h1 = CpuPoolReference.rowEnd(ip, s, h);
                    for (int iq = 0; iq < q; iq++) {
                        int w0 = CpuPoolReference.colStart(iq, s), w1 = CpuPoolReference.colEnd(iq, s, w);
                        float g = dy[yOff + ip * q + iq];
                        if (max) {
                            dx[argMax(x, xOff, w, h0, h1, w0, w1)] += g;
                        } else {
                            spread(dx, xOff, w, h0, h1, w0, w1, g / CpuPoolReference.avgDivisor(ip, iq, h, w, s));
                        }
                    }
                }
            }
        });
    }

    static void adaptiveAvgForward(float[] x, int[] xd, float[] y, int[] yd) {
        int h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        CpuThreads.parallelFor(xd[0] * xd[1], (long) h * w, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * h * w, yOff = plane * p * q;
                for (int ip = 0; ip < p; ip++) {
                    int h0 = CpuPoolReference.binStart(ip, h, p), h1 = CpuPoolReference.binEnd(ip, h, p);
                    for (int iq = 0; iq < q; iq++) {
                        int w0 = CpuPoolReference.binStart(iq, w, q), w1 = CpuPoolReference.binEnd(iq, w, q);
                        y[yOff + ip * q + iq] = windowSum(x, xOff, w, h0, h1, w0, w1) / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        });
    }

    static void adaptiveAvgBackward(float[] dy, int[] yd, float[] dx, int[] xd) {
        int h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        CpuThreads.parallelFor(xd[0] * xd[1], (long) h * w, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * h * w, yOff = plane * p * q;
                java.util.Arrays.fill(dx, xOff, xOff + h * w, 0f);
                for (int ip = 0; ip < p; ip++) {
                    int h0 = CpuPoolReference.binStart(ip, h, p), h1 = CpuPoolReference.binEnd(ip, h, p);
                    for (int iq = 0; iq < q; iq++) {
                        int w0 = CpuPoolReference.binStart(iq, w, q), w1 = CpuPoolReference.binEnd(iq, w, q);
                        float share = dy[yOff + ip * q + iq] / ((h1 - h0) * (w1 - w0));
                        spread(dx, xOff, w, h0, h1, w0, w1, share);
                    }
                }
            }
        });
    }

    /**
     * The value {@link #argMax} picks, without its data-dependent branches: a plain compare-and-select maximum,
     * which agrees with "first v > max" except for the sign of a zero maximum (-0 vs +0) and for NaN; windows
     * whose maximum is zero (common after ReLU) or that hold a NaN are recomputed the exact way.
     */
    private static float windowMax(float[] x, int xOff, int w, int h0, int h1, int w0, int w1) {
        float max = Float.NEGATIVE_INFINITY;
        boolean nan = false;
        for (int ih = h0; ih < h1; ih++) {
            int row = xOff + ih * w;
            for (int iw = w0; iw < w1; iw++) {
                float v = x[row + iw];
                max = v > max ? v : max;
                nan |= v != v;
            }
        }
        return max == 0f || nan ? x[argMax(x, xOff, w, h0, h1, w0, w1)] : max;
    }

    /** First maximum of the window rows [h0,h1) x cols [w0,w1) of the plane at xOff (the last NaN, if any). */
    private static int argMax(float[] x, int xOff, int w, int h0, int h1, int w0, int w1) {
        int best = xOff + h0 * w + w0;
        float max = x[best];
        for (int ih = h0; ih < h1; ih++) {
            int row = xOff + ih * w;
            for (int iw = w0; iw < w1; iw++) {
                float v = x[row + iw];
                if (v > max || v != v) {
                    max = v;
                    best = row + iw;
                }
            }
        }
        return best;
    }

    private static float windowSum(float[] x, int xOff, int w, int h0, int h1, int w0, int w1) {
        float sum = 0f;
        for (int ih = h0; ih < h1; ih++) {
            int row = xOff + ih * w;
            for (int iw = w0; iw < w1; iw++) {
                sum += x[row + iw];
            }
        }
        return sum;
    }

    private static void spread(float[] dx, int xOff, int w, int h0, int h1, int w0, int w1, float share) {
        for (int ih = h0; ih < h1; ih++) {
            int row = xOff + ih * w;
            for (int iw = w0; iw < w1; iw++) {
                dx[row + iw] += share;
            }
        }
    }
}
