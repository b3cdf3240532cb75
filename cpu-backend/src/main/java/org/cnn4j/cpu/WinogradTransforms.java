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
 * Each 2-D transform is a 1-D transform along the rows of a tile, then along its columns; tile element
 * e = 6*i + j (row-major). The data transforms work on many tiles at once (one row of floats per element); the
 * filter transforms on one filter, element e at {@code out[off + e*stride]}.
 */
final class WinogradTransforms {
    /** Points per transformed tile (6x6), i.e. the number of independent GEMMs. */
    static final int POINTS = 36;
    /** Output tile edge. */
    static final int TILE = 4;
    /** Transformed tile edge. */
    static final int ALPHA = 6;

    private static final float SIXTH = 1f / 6f;
    private static final float TWELFTH = 1f / 12f;
    private static final float TWENTYFOURTH = 1f / 24f;

    private WinogradTransforms() {
    }

    /**
     * The input transform of {@code count} tiles at once: tile t's patch element e is {@code d[e][t]}, its
     * transform goes to {@code out[e][t]}. Every loop runs over t with all arrays indexed by t, which HotSpot
     * vectorises. tmp holds 36 rows.
     */
    static void input(float[][] d, float[][] tmp, float[][] out, int count) {
        for (int a = 0; a < 36; a += 6) { // along each row of the patch
            inputLines(d[a], d[a + 1], d[a + 2], d[a + 3], d[a + 4], d[a + 5],
                    tmp[a], tmp[a + 1], tmp[a + 2], tmp[a + 3], tmp[a + 4], tmp[a + 5], count);
        }
        for (int j = 0; j < 6; j++) { // along each column
            inputLines(tmp[j], tmp[6 + j], tmp[12 + j], tmp[18 + j], tmp[24 + j], tmp[30 + j],
                    out[j], out[6 + j], out[12 + j], out[18 + j], out[24 + j], out[30 + j], count);
        }
    }

    private static void inputLines(float[] d0, float[] d1, float[] d2, float[] d3, float[] d4, float[] d5,
                                   float[] o0, float[] o1, float[] o2, float[] o3, float[] o4, float[] o5, int n) {
        for (int t = 0; t < n; t++) {
            float v0 = d0[t], v1 = d1[t], v2 = d2[t], v3 = d3[t], v4 = d4[t], v5 = d5[t];
            o0[t] = 4f * v0 - 5f * v2 + v4;
            o1[t] = -4f * (v1 + v2) + v3 + v4;
            o2[t] = 4f * (v1 - v2) - v3 + v4;
            o3[t] = 2f * (v3 - v1) - v2 + v4;
            o4[t] = 2f * (v1 - v3) - v2 + v4;
            o5[t] = 4f * v1 - 5f * v3 + v5;
        }
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
        float outer = g0 * TWENTYFOURTH + g2 * SIXTH, middle = g1 * TWELFTH;
        d[dOff + ds] = -(g0 + g1 + g2) * SIXTH;
        d[dOff + 2 * ds] = -(g0 - g1 + g2) * SIXTH;
        d[dOff + 3 * ds] = outer + middle;
        d[dOff + 4 * ds] = outer - middle;
        d[dOff + 5 * ds] = g2;
    }

    /** The output transform of {@code count} tiles: 6x6 rows {@code m[e][t]} to 4x4 rows {@code y[i][t]}; tmp: 24 rows. */
    static void output(float[][] m, float[][] tmp, float[][] y, int count) {
        for (int a = 0; a < 6; a++) {
            int i = a * 6, o = a * 4;
            outputLines(m[i], m[i + 1], m[i + 2], m[i + 3], m[i + 4], m[i + 5],
                    tmp[o], tmp[o + 1], tmp[o + 2], tmp[o + 3], count);
        }
        for (int j = 0; j < 4; j++) {
            outputLines(tmp[j], tmp[4 + j], tmp[8 + j], tmp[12 + j], tmp[16 + j], tmp[20 + j],
                    y[j], y[4 + j], y[8 + j], y[12 + j], count);
        }
    }

    private static void outputLines(float[] m0, float[] m1, float[] m2, float[] m3, float[] m4, float[] m5,
                                    float[] o0, float[] o1, float[] o2, float[] o3, int n) {
        for (int t = 0; t < n; t++) {
            float v0 = m0[t], v5 = m5[t];
            float p12 = m1[t] + m2[t], n12 = m1[t] - m2[t], p34 = m3[t] + m4[t], n34 = m3[t] - m4[t];
            o0[t] = v0 + p12 + p34;
            o1[t] = n12 + 2f * n34;
            o2[t] = p12 + 4f * p34;
            o3[t] = n12 + 8f * n34 + v5;
        }
    }

    /** The transpose of {@link #output}: 4x4 rows {@code dy[i][t]} to 6x6 rows {@code out[e][t]}; tmp: 24 rows. */
    static void outputGradient(float[][] dy, float[][] tmp, float[][] out, int count) {
        for (int a = 0; a < 4; a++) {
            int i = a * 4, o = a * 6;
            gradientLines(dy[i], dy[i + 1], dy[i + 2], dy[i + 3],
                    tmp[o], tmp[o + 1], tmp[o + 2], tmp[o + 3], tmp[o + 4], tmp[o + 5], count);
        }
        for (int j = 0; j < 6; j++) {
            gradientLines(tmp[j], tmp[6 + j], tmp[12 + j], tmp[18 + j],
                    out[j], out[6 + j], out[12 + j], out[18 + j], out[24 + j], out[30 + j], count);
        }
    }

    private static void gradientLines(float[] y0, float[] y1, float[] y2, float[] y3, float[] o0, float[] o1,
                                      float[] o2, float[] o3, float[] o4, float[] o5, int n) {
        for (int t = 0; t < n; t++) {
            float v0 = y0[t], v1 = y1[t], v2 = y2[t], v3 = y3[t];
            float even = v0 + v2, odd = v1 + v3, even4 = v0 + 4f * v2, odd8 = 2f * v1 + 8f * v3;
            o0[t] = v0;
            o1[t] = even + odd;
            o2[t] = even - odd;
            o3[t] = even4 + odd8;
            o4[t] = even4 - odd8;
            o5[t] = v3;
        }
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
        d[dOff] = u0 * 0.25f - (u1 + u2) * SIXTH + (u3 + u4) * TWENTYFOURTH;
        d[dOff + ds] = (u2 - u1) * SIXTH + (u3 - u4) * TWELFTH;
        d[dOff + 2 * ds] = (u3 + u4 - u1 - u2) * SIXTH + u5;
    }
}
