package org.cnn4j.cpu;

/**
 * The tile transforms of Winograd's minimal filtering algorithm F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms
 * for Convolutional Neural Networks", 2016), with interpolation points 0, 1, -1, 2, -2 and infinity:
 * <pre>
 * B^T = [4  0 -5  0 1 0]   G = [ 1/4     0     0 ]   A^T = [1 1  1 1  1 0]
 *       [0 -4 -4  1 1 0]       [-1/6  -1/6  -1/6 ]         [0 1 -1 2 -2 0]
 *       [0  4 -4 -1 1 0]       [-1/6   1/6  -1/6 ]         [0 1  1 4  4 0]
 *       [0 -2 -1  2 1 0]       [1/24  1/12   1/6 ]         [0 1 -1 8 -8 1]
 *       [0  2 -1 -2 1 0]       [1/24 -1/12   1/6 ]
 *       [0  4  0 -5 0 1]       [  0     0     1  ]
 * </pre>
 * A 4x4 output tile is {@code Y = A^T [(G g G^T) .* (B^T d B)] A} for a 3x3 filter g and the 6x6 input patch d.
 * The gradient transforms follow by linearity: {@code dM = A dY A^T} and {@code dg = G^T dU G}.
 * Each 2-D transform is a 1-D transform along the rows of a tile, then along its columns; a 6x6 tile is stored
 * row-major as 36 values, tile element e = 6*i + j at {@code out[off + e*stride]}.
 */
final class WinogradTransforms {
    /** Points per transformed tile (6x6), i.e. the number of independent GEMMs. */
    static final int POINTS = 36;
    /** Output tile edge. */
    static final int TILE = 4;
    /** Transformed tile edge. */
    static final int ALPHA = 6;

    private WinogradTransforms() {
    }

    /** out = B^T d B for the 6x6 patch d (row-major, dense); tmp holds 36 floats. */
    static void input(float[] d, float[] tmp, float[] out, int off, int stride) {
        for (int a = 0; a < 6; a++) {
            inputLine(d, a * 6, 1, tmp, a * 6, 1);
        }
        for (int j = 0; j < 6; j++) {
            inputLine(tmp, j, 6, out, off + j * stride, 6 * stride);
        }
    }

    private static void inputLine(float[] s, int so, int ss, float[] d, int dOff, int ds) {
        float d0 = s[so], d1 = s[so + ss], d2 = s[so + 2 * ss], d3 = s[so + 3 * ss], d4 = s[so + 4 * ss];
        float d5 = s[so + 5 * ss];
        d[dOff] = 4f * d0 - 5f * d2 + d4;
        d[dOff + ds] = -4f * (d1 + d2) + d3 + d4;
        d[dOff + 2 * ds] = 4f * (d1 - d2) - d3 + d4;
        d[dOff + 3 * ds] = 2f * (d3 - d1) - d2 + d4;
        d[dOff + 4 * ds] = 2f * (d1 - d3) - d2 + d4;
        d[dOff + 5 * ds] = 4f * d1 - 5f * d3 + d5;
    }

    /** out = G g G^T for the 3x3 filter g at {@code g[gOff + 3*r + s]}; tmp holds 18 floats. */
    static void filter(float[] g, int gOff, float[] tmp, float[] out, int off, int stride) {
        for (int r = 0; r < 3; r++) {
            filterLine(g, gOff + r * 3, 1, tmp, r * 6, 1);
        }
        for (int j = 0; j < 6; j++) {
            filterLine(tmp, j, 6, out, off + j * stride, 6 * stride);
        }
    }

    /** As {@link #filter} on the filter rotated by 180 degrees: g'[r][s] = g[2-r][2-s]. */
    static void filterRotated(float[] g, int gOff, float[] tmp, float[] out, int off, int stride) {
        for (int r = 0; r < 3; r++) {
            filterLine(g, gOff + (2 - r) * 3 + 2, -1, tmp, r * 6, 1);
        }
        for (int j = 0; j < 6; j++) {
            filterLine(tmp, j, 6, out, off + j * stride, 6 * stride);
        }
    }

    private static void filterLine(float[] s, int so, int ss, float[] d, int dOff, int ds) {
        float g0 = s[so], g1 = s[so + ss], g2 = s[so + 2 * ss];
        d[dOff] = g0 * 0.25f;
        d[dOff + ds] = -(g0 + g1 + g2) / 6f;
        d[dOff + 2 * ds] = -(g0 - g1 + g2) / 6f;
        d[dOff + 3 * ds] = g0 / 24f + g1 / 12f + g2 / 6f;
        d[dOff + 4 * ds] = g0 / 24f - g1 / 12f + g2 / 6f;
        d[dOff + 5 * ds] = g2;
    }

    /** y = A^T m A: the 6x6 tile at {@code m[off + e*stride]} to a dense row-major 4x4 tile; tmp holds 24 floats. */
    static void output(float[] m, int off, int stride, float[] tmp, float[] y) {
        for (int a = 0; a < 6; a++) {
            outputLine(m, off + a * 6 * stride, stride, tmp, a * 4, 1);
        }
        for (int j = 0; j < 4; j++) {
            outputLine(tmp, j, 4, y, j, 4);
        }
    }

    private static void outputLine(float[] s, int so, int ss, float[] d, int dOff, int ds) {
        float m0 = s[so], m1 = s[so + ss], m2 = s[so + 2 * ss], m3 = s[so + 3 * ss], m4 = s[so + 4 * ss];
        float m5 = s[so + 5 * ss];
        float p12 = m1 + m2, n12 = m1 - m2, p34 = m3 + m4, n34 = m3 - m4;
        d[dOff] = m0 + p12 + p34;
        d[dOff + ds] = n12 + 2f * n34;
        d[dOff + 2 * ds] = p12 + 4f * p34;
        d[dOff + 3 * ds] = n12 + 8f * n34 + m5;
    }

    /** out = A dy A^T for the dense row-major 4x4 tile dy (the transpose of {@link #output}); tmp holds 24 floats. */
    static void outputGradient(float[] dy, float[] tmp, float[] out, int off, int stride) {
        for (int a = 0; a < 4; a++) {
            outputGradientLine(dy, a * 4, 1, tmp, a * 6, 1);
        }
        for (int j = 0; j < 6; j++) {
            outputGradientLine(tmp, j, 6, out, off + j * stride, 6 * stride);
        }
    }

    private static void outputGradientLine(float[] s, int so, int ss, float[] d, int dOff, int ds) {
        float y0 = s[so], y1 = s[so + ss], y2 = s[so + 2 * ss], y3 = s[so + 3 * ss];
        float even = y0 + y2, odd = y1 + y3, even4 = y0 + 4f * y2, odd8 = 2f * y1 + 8f * y3;
        d[dOff] = y0;
        d[dOff + ds] = even + odd;
        d[dOff + 2 * ds] = even - odd;
        d[dOff + 3 * ds] = even4 + odd8;
        d[dOff + 4 * ds] = even4 - odd8;
        d[dOff + 5 * ds] = y3;
    }

    /** dg = G^T du G: the 6x6 tile at {@code du[off + e*stride]} to the 3x3 filter at {@code dg[gOff]}. */
    static void filterGradient(float[] du, int off, int stride, float[] tmp, float[] dg, int gOff) {
        for (int a = 0; a < 6; a++) {
            filterGradientLine(du, off + a * 6 * stride, stride, tmp, a * 3, 1);
        }
        for (int s = 0; s < 3; s++) {
            filterGradientLine(tmp, s, 3, dg, gOff + s, 3);
        }
    }

    private static void filterGradientLine(float[] s, int so, int ss, float[] d, int dOff, int ds) {
        float u0 = s[so], u1 = s[so + ss], u2 = s[so + 2 * ss], u3 = s[so + 3 * ss], u4 = s[so + 4 * ss];
        float u5 = s[so + 5 * ss];
        d[dOff] = u0 * 0.25f - (u1 + u2) / 6f + (u3 + u4) / 24f;
        d[dOff + ds] = (u2 - u1) / 6f + (u3 - u4) / 12f;
        d[dOff + 2 * ds] = (u3 + u4 - u1 - u2) / 6f + u5;
    }
}
