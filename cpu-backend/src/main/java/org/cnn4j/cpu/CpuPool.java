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
        if (max && isFull2x2(s, h, w, p, q)) {
            CpuThreads.parallelFor(xd[0] * xd[1], (long) p * q * 4, (from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    max2x2Forward(x, plane * h * w, w, y, plane * p * q, p, q);
                }
            });
            return;
        }
        CpuThreads.parallelFor(xd[0] * xd[1], (long) p * q * s.kernelH() * s.kernelW(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * h * w, yOff = plane * p * q;
                for (int ip = 0; ip < p; ip++) {
                    int h0 = CpuPoolReference.rowStart(ip, s), h1 = CpuPoolReference.rowEnd(ip, s, h);
                    for (int iq = 0; iq < q; iq++) {
                        int w0 = CpuPoolReference.colStart(iq, s), w1 = CpuPoolReference.colEnd(iq, s, w);
                        y[yOff + ip * q + iq] = max ? (h1 - h0 == 3 && w1 - w0 == 3
                                ? max3x3(x, xOff + h0 * w + w0, w, xOff, h0, w0) : windowMax(x, xOff, w, h0, h1, w0, w1))
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
        if (max && isFull2x2(s, h, w, p, q)) {
            CpuThreads.parallelFor(xd[0] * xd[1], (long) p * q * 4, (from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    max2x2Backward(x, plane * h * w, h, w, dy, plane * p * q, p, q, dx);
                }
            });
            return;
        }
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
                            dx[h1 - h0 == 3 && w1 - w0 == 3 ? argMax3x3(x, xOff + h0 * w + w0, w, xOff, h0, w0)
                                    : argMax(x, xOff, w, h0, h1, w0, w1)] += g;
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
     * The most common pooling (2x2, stride 2, no padding) with every window inside the input: windows do not
     * overlap, so each output's four inputs are read directly, with no bounds per window.
     */
    private static boolean isFull2x2(PoolSpec s, int h, int w, int p, int q) {
        return s.kernelH() == 2 && s.kernelW() == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0
                && s.padW() == 0 && 2 * p <= h && 2 * q <= w;
    }

    /** Which of a window's four values (row-major) {@link #argMax} picks: the first maximum, or the last NaN. */
    private static int firstMax4(float a, float b, float c, float d) {
        int best = 0;
        float m = a;
        if (b > m || b != b) {
            m = b;
            best = 1;
        }
        if (c > m || c != c) {
            m = c;
            best = 2;
        }
        if (d > m || d != d) {
            best = 3;
        }
        return best;
    }

    private static void max2x2Forward(float[] x, int xOff, int w, float[] y, int yOff, int p, int q) {
        for (int ip = 0; ip < p; ip++) {
            int top = xOff + 2 * ip * w, bottom = top + w, out = yOff + ip * q;
            for (int iq = 0; iq < q; iq++) {
                int i = 2 * iq;
                float a = x[top + i], b = x[top + i + 1], c = x[bottom + i], d = x[bottom + i + 1];
                int best = firstMax4(a, b, c, d);
                y[out + iq] = best == 0 ? a : best == 1 ? b : best == 2 ? c : d;
            }
        }
    }

    /** Writes the whole plane of dx: each window's gradient goes to its first maximum (as 0 + g, like the sum). */
    private static void max2x2Backward(float[] x, int xOff, int h, int w, float[] dy, int yOff, int p, int q,
                                       float[] dx) {
        for (int ip = 0; ip < p; ip++) {
            int top = xOff + 2 * ip * w, bottom = top + w, in = yOff + ip * q;
            for (int iq = 0; iq < q; iq++) {
                int i = 2 * iq;
                int best = firstMax4(x[top + i], x[top + i + 1], x[bottom + i], x[bottom + i + 1]);
                float g = 0f + dy[in + iq];
                dx[top + i] = best == 0 ? g : 0f;
                dx[top + i + 1] = best == 1 ? g : 0f;
                dx[bottom + i] = best == 2 ? g : 0f;
                dx[bottom + i + 1] = best == 3 ? g : 0f;
            }
            for (int col = 2 * q; col < w; col++) { // columns past the last window (an odd width)
                dx[top + col] = 0f;
                dx[bottom + col] = 0f;
            }
        }
        java.util.Arrays.fill(dx, xOff + 2 * p * w, xOff + h * w, 0f); // rows past the last window
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

    /*
     * Full 3x3 windows (ResNet's and VGG-style max pools: all but the edge windows) written out: straight-line
     * compare-and-select code instead of two short loops with data-dependent branches. The value of a window
     * whose maximum is zero (its sign depends on which zero comes first) or that holds a NaN (Math.max returns
     * NaN then) is found the exact way by argMax.
     */
    private static float max3x3(float[] x, int i, int w, int xOff, int h0, int w0) {
        float a = x[i], b = x[i + 1], c = x[i + 2];
        float d = x[i + w], e = x[i + w + 1], f = x[i + w + 2];
        float g = x[i + 2 * w], h = x[i + 2 * w + 1], k = x[i + 2 * w + 2];
        float m = Math.max(Math.max(Math.max(a, b), Math.max(c, d)),
                Math.max(Math.max(e, f), Math.max(g, Math.max(h, k))));
        return m == 0f || m != m ? x[argMax(x, xOff, w, h0, h0 + 3, w0, w0 + 3)] : m;
    }

    /** Index of the first maximum of the full 3x3 window at i, as {@link #argMax} finds it. */
    private static int argMax3x3(float[] x, int i, int w, int xOff, int h0, int w0) {
        float m = max3x3(x, i, w, xOff, h0, w0);
        if (m == 0f || m != m) {
            return argMax(x, xOff, w, h0, h0 + 3, w0, w0 + 3);
        }
        // m is no zero and no NaN: the first value equal to it is the first maximum; select from the back
        int r2 = i + 2 * w, r1 = i + w;
        int best = r2 + 2;
        best = x[r2 + 1] == m ? r2 + 1 : best;
        best = x[r2] == m ? r2 : best;
        best = x[r1 + 2] == m ? r1 + 2 : best;
        best = x[r1 + 1] == m ? r1 + 1 : best;
        best = x[r1] == m ? r1 : best;
        best = x[i + 2] == m ? i + 2 : best;
        best = x[i + 1] == m ? i + 1 : best;
        return x[i] == m ? i : best;
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
