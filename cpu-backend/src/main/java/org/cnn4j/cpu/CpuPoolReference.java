package org.cnn4j.cpu;

import org.cnn4j.backend.PoolSpec;

/**
 * Plain pooling loops with PyTorch's semantics, the oracle for {@link CpuPool}. Max pooling takes the first
 * maximum in row-major window order and never picks padding (a NaN wins, as in PyTorch). Average pooling divides
 * by the window clipped to the padded input when {@code countIncludePad} (so ceil-mode windows that run past
 * the padding count only the part inside it), otherwise by the window clipped to the real input.
 */
final class CpuPoolReference {
    private CpuPoolReference() {
    }

    static void forward(float[] x, int[] xd, float[] y, int[] yd, PoolSpec s) {
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        for (int plane = 0; plane < planes; plane++) {
            for (int ip = 0; ip < p; ip++) {
                for (int iq = 0; iq < q; iq++) {
                    float out;
                    if (s.mode() == PoolSpec.PoolMode.MAX) {
                        out = x[argMax(x, plane, h, w, ip, iq, s)];
                    } else {
                        float sum = 0f;
                        for (int ih = rowStart(ip, s); ih < rowEnd(ip, s, h); ih++) {
                            for (int iw = colStart(iq, s); iw < colEnd(iq, s, w); iw++) {
                                sum += x[(plane * h + ih) * w + iw];
                            }
                        }
                        out = sum / avgDivisor(ip, iq, h, w, s);
                    }
                    y[(plane * p + ip) * q + iq] = out;
                }
            }
        }
    }

    static void backward(float[] x, int[] xd, float[] dy, int[] yd, float[] dx, PoolSpec s) {
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        java.util.Arrays.fill(dx, 0, planes * h * w, 0f);
        for (int plane = 0; plane < planes; plane++) {
            for (int ip = 0; ip < p; ip++) {
                for (int iq = 0; iq < q; iq++) {
                    float g = dy[(plane * p + ip) * q + iq];
                    if (s.mode() == PoolSpec.PoolMode.MAX) {
                        dx[argMax(x, plane, h, w, ip, iq, s)] += g;
                    } else {
                        float share = g / avgDivisor(ip, iq, h, w, s);
                        for (int ih = rowStart(ip, s); ih < rowEnd(ip, s, h); ih++) {
                            for (int iw = colStart(iq, s); iw < colEnd(iq, s, w); iw++) {
                                dx[(plane * h + ih) * w + iw] += share;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Index into x of the first maximum of window (ip, iq) of the plane. */
    private static int argMax(float[] x, int plane, int h, int w, int ip, int iq, PoolSpec s) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int ih = rowStart(ip, s); ih < rowEnd(ip, s, h); ih++) {
            for (int iw = colStart(iq, s); iw < colEnd(iq, s, w); iw++) {
                int i = (plane * h + ih) * w + iw;
                if (best < 0 || x[i] > max || Float.isNaN(x[i])) { // as PyTorch: the last NaN wins
                    best = i;
                    max = x[i];
                }
            }
        }
        return best;
    }

    static int avgDivisor(int ip, int iq, int h, int w, PoolSpec s) {
        if (s.countIncludePad()) {
            int h0 = ip * s.strideH() - s.padH(), w0 = iq * s.strideW() - s.padW();
            int h1 = Math.min(h0 + s.kernelH(), h + s.padH()), w1 = Math.min(w0 + s.kernelW(), w + s.padW());
            return (h1 - h0) * (w1 - w0);
        }
        return (rowEnd(ip, s, h) - rowStart(ip, s)) * (colEnd(iq, s, w) - colStart(iq, s));
    }

    static int rowStart(int ip, PoolSpec s) {
        return Math.max(ip * s.strideH() - s.padH(), 0);
    }

    static int rowEnd(int ip, PoolSpec s, int h) {
        return Math.min(ip * s.strideH() - s.padH() + s.kernelH(), h);
    }

    static int colStart(int iq, PoolSpec s) {
        return Math.max(iq * s.strideW() - s.padW(), 0);
    }

    static int colEnd(int iq, PoolSpec s, int w) {
        return Math.min(iq * s.strideW() - s.padW() + s.kernelW(), w);
    }

    /** PyTorch's adaptive average pooling: output i averages input [floor(i*H/P), ceil((i+1)*H/P)). */
    static void adaptiveAvgForward(float[] x, int[] xd, float[] y, int[] yd) {
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        for (int plane = 0; plane < planes; plane++) {
            for (int ip = 0; ip < p; ip++) {
                for (int iq = 0; iq < q; iq++) {
                    int h0 = binStart(ip, h, p), h1 = binEnd(ip, h, p), w0 = binStart(iq, w, q), w1 = binEnd(iq, w, q);
                    float sum = 0f;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sum += x[(plane * h + ih) * w + iw];
                        }
                    }
                    y[(plane * p + ip) * q + iq] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
    }

    static void adaptiveAvgBackward(float[] dy, int[] yd, float[] dx, int[] xd) {
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], p = yd[2], q = yd[3];
        java.util.Arrays.fill(dx, 0, planes * h * w, 0f);
        for (int plane = 0; plane < planes; plane++) {
            for (int ip = 0; ip < p; ip++) {
                for (int iq = 0; iq < q; iq++) {
                    int h0 = binStart(ip, h, p), h1 = binEnd(ip, h, p), w0 = binStart(iq, w, q), w1 = binEnd(iq, w, q);
                    float share = dy[(plane * p + ip) * q + iq] / ((h1 - h0) * (w1 - w0));
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            dx[(plane * h + ih) * w + iw] += share;
                        }
                    }
                }
            }
        }
    }

    static int binStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    static int binEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }
}
