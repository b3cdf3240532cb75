package org.cnn4j.cpu;

import org.cnn4j.backend.ConvSpec;

/**
 * Lowers one image's channel group to a matrix and back. The column matrix has one row per (channel, r, s)
 * tap and one column per output pixel of the output rows [p0, p1):
 * {@code col[(c*R + r)*S + s][(p-p0)*Q + q] = x[c, p*sh - ph + r*dh, q*sw - pw + s*dw]}, zero where the tap
 * falls in the padding. Working on a band of output rows bounds the scratch memory for large images.
 */
final class Im2col {
    private Im2col() {
    }

    /** True when the column matrix equals the input itself (1x1 kernel, stride 1, no padding). */
    static boolean isIdentity(int r, int s, int p, int q, int h, int w, ConvSpec spec) {
        return r == 1 && s == 1 && spec.padH() == 0 && spec.padW() == 0 && p == h && q == w;
    }

    /** Writes the column matrix of the {@code channels} planes of x starting at {@code xOff} into col. */
    static void im2col(float[] x, int xOff, int channels, int h, int w, int r, int s, int p0, int p1, int q,
                       ConvSpec spec, float[] col) {
        im2col(x, xOff, channels, h, w, r, s, p0, p1, q, spec, col, 0, (p1 - p0) * q);
    }

    /**
     * The same into a wider matrix: its rows are {@code ldcol} floats apart and this image's columns start at
     * {@code colOff} (several images side by side).
     */
    static void im2col(float[] x, int xOff, int channels, int h, int w, int r, int s, int p0, int p1, int q,
                       ConvSpec spec, float[] col, int colOff, int ldcol) {
        int sh = spec.strideH(), sw = spec.strideW();
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int ir = 0; ir < r; ir++) {
                for (int is = 0; is < s; is++) {
                    int row = colOff + ((c * r + ir) * s + is) * ldcol;
                    int offW = is * spec.dilationW() - spec.padW();
                    int qLo = firstValid(offW, sw), qHi = endValid(offW, sw, w, q);
                    for (int ip = p0; ip < p1; ip++) {
                        int dst = row + (ip - p0) * q;
                        int ih = ip * sh - spec.padH() + ir * spec.dilationH();
                        if (ih < 0 || ih >= h || qLo >= qHi) {
                            zero(col, dst, dst + q);
                            continue;
                        }
                        zero(col, dst, dst + qLo);
                        int src = plane + ih * w + offW;
                        if (sw == 1) {
                            System.arraycopy(x, src + qLo, col, dst + qLo, qHi - qLo);
                        } else {
                            for (int iq = qLo; iq < qHi; iq++) {
                                col[dst + iq] = x[src + iq * sw];
                            }
                        }
                        zero(col, dst + qHi, dst + q);
                    }
                }
            }
        }
    }

    /** Adds the column matrix back onto the {@code channels} planes of dx at {@code dxOff} (which it does not clear). */
    static void col2im(float[] col, float[] dx, int dxOff, int channels, int h, int w, int r, int s, int p0, int p1,
                       int q, ConvSpec spec) {
        col2im(col, 0, (p1 - p0) * q, dx, dxOff, channels, h, w, r, s, p0, p1, q, spec);
    }

    /** The same from a wider matrix (rows {@code ldcol} floats apart, this image's columns from {@code colOff}). */
    static void col2im(float[] col, int colOff, int ldcol, float[] dx, int dxOff, int channels, int h, int w, int r,
                       int s, int p0, int p1, int q, ConvSpec spec) {
        int sh = spec.strideH(), sw = spec.strideW();
        for (int c = 0; c < channels; c++) {
            int plane = dxOff + c * h * w;
            for (int ir = 0; ir < r; ir++) {
                for (int is = 0; is < s; is++) {
                    int row = colOff + ((c * r + ir) * s + is) * ldcol;
                    int offW = is * spec.dilationW() - spec.padW();
                    int qLo = firstValid(offW, sw), qHi = endValid(offW, sw, w, q);
                    for (int ip = p0; ip < p1; ip++) {
                        int ih = ip * sh - spec.padH() + ir * spec.dilationH();
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = row + (ip - p0) * q, dst = plane + ih * w + offW;
                        if (sw == 1) {
                            for (int iq = qLo; iq < qHi; iq++) {
                                dx[dst + iq] += col[src + iq];
                            }
                        } else {
                            for (int iq = qLo; iq < qHi; iq++) {
                                dx[dst + iq * sw] += col[src + iq];
                            }
                        }
                    }
                }
            }
        }
    }

    /** A plain loop: most runs here are a padding column or two, too short for a call to Arrays.fill to pay. */
    private static void zero(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = 0f;
        }
    }

    /** Smallest output column q >= 0 with q*stride + off >= 0. */
    private static int firstValid(int off, int stride) {
        return off >= 0 ? 0 : (-off + stride - 1) / stride;
    }

    /** One past the largest output column q < outW with q*stride + off < w. */
    private static int endValid(int off, int stride, int w, int outW) {
        if (w - off <= 0) {
            return 0;
        }
        return Math.min(outW, (w - off - 1) / stride + 1);
    }
}
