package org.cnn4j.cpu;

import org.cnn4j.backend.ConvSpec;

/**
 * Plain loops straight from the definition of 2-D convolution (cross-correlation, NCHW, groups): the oracle
 * for {@link CpuConv}'s fast paths and for other backends. x [N,C,H,W], w [K,C/groups,R,S], y [N,K,P,Q].
 */
final class CpuConvReference {
    private CpuConvReference() {
    }

    static void forward(float[] x, int[] xd, float[] w, int[] wd, float[] y, int[] yd, ConvSpec s) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3];
        int k = wd[0], cg = wd[1], r = wd[2], sw = wd[3];
        int p = yd[2], q = yd[3];
        int kg = k / s.groups();
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                int g = ik / kg;
                for (int ip = 0; ip < p; ip++) {
                    for (int iq = 0; iq < q; iq++) {
                        float sum = 0f;
                        for (int ic = 0; ic < cg; ic++) {
                            int xc = g * cg + ic;
                            for (int ir = 0; ir < r; ir++) {
                                int ih = ip * s.strideH() - s.padH() + ir * s.dilationH();
                                if (ih < 0 || ih >= h) {
                                    continue;
                                }
                                for (int is = 0; is < sw; is++) {
                                    int iw = iq * s.strideW() - s.padW() + is * s.dilationW();
                                    if (iw < 0 || iw >= wi) {
                                        continue;
                                    }
                                    sum += x[((in * c + xc) * h + ih) * wi + iw] * w[((ik * cg + ic) * r + ir) * sw + is];
                                }
                            }
                        }
                        y[((in * k + ik) * p + ip) * q + iq] = sum;
                    }
                }
            }
        }
    }

    /** dx = sum over every (output, tap) pair that read x of dy * w; dx is overwritten. */
    static void backwardData(float[] dy, int[] yd, float[] w, int[] wd, float[] dx, int[] xd, ConvSpec s) {
        java.util.Arrays.fill(dx, 0, xd[0] * xd[1] * xd[2] * xd[3], 0f);
        forEachTap(xd, wd, yd, s, (xi, wIdx, yi) -> dx[xi] += dy[yi] * w[wIdx]);
    }

    /** dw = sum over every (output, tap) pair of dy * x; dw is overwritten. */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec s) {
        java.util.Arrays.fill(dw, 0, wd[0] * wd[1] * wd[2] * wd[3], 0f);
        forEachTap(xd, wd, yd, s, (xi, wIdx, yi) -> dw[wIdx] += dy[yi] * x[xi]);
    }

    static void backwardBias(float[] dy, int[] yd, float[] db) {
        int n = yd[0], k = yd[1], plane = yd[2] * yd[3];
        for (int ik = 0; ik < k; ik++) {
            double sum = 0;
            for (int in = 0; in < n; in++) {
                for (int i = 0; i < plane; i++) {
                    sum += dy[(in * k + ik) * plane + i];
                }
            }
            db[ik] = (float) sum;
        }
    }

    interface Tap {
        void accept(int xIndex, int wIndex, int yIndex);
    }

    /** Visits every (input element, weight element, output element) triple that the forward pass multiplies. */
    static void forEachTap(int[] xd, int[] wd, int[] yd, ConvSpec s, Tap tap) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3];
        int k = wd[0], cg = wd[1], r = wd[2], sw = wd[3];
        int p = yd[2], q = yd[3];
        int kg = k / s.groups();
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                int g = ik / kg;
                for (int ip = 0; ip < p; ip++) {
                    for (int iq = 0; iq < q; iq++) {
                        int yi = ((in * k + ik) * p + ip) * q + iq;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int ir = 0; ir < r; ir++) {
                                int ih = ip * s.strideH() - s.padH() + ir * s.dilationH();
                                for (int is = 0; is < sw; is++) {
                                    int iw = iq * s.strideW() - s.padW() + is * s.dilationW();
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wi) {
                                        tap.accept(((in * c + g * cg + ic) * h + ih) * wi + iw,
                                                ((ik * cg + ic) * r + ir) * sw + is, yi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
