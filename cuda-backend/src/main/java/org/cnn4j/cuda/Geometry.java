package org.cnn4j.cuda;

import java.util.Arrays;

/**
 * Builds kernels.cu's {@code Geometry} struct (rank, dims[8], aStrides[8], bStrides[8]: 25 ints) for
 * broadcasting binary ops and for reductions to a broadcast shape. Pure Java, tested without a GPU.
 */
final class Geometry {
    static final int MAX_RANK = 8;
    static final int INTS = 1 + 3 * MAX_RANK;

    private Geometry() {
    }

    /** Element strides of {@code in} as seen from {@code out}'s axes: 0 where {@code in} is broadcast. */
    static int[] broadcastStrides(int[] in, int[] out) {
        int[] strides = new int[out.length];
        int offset = out.length - in.length;
        int stride = 1;
        for (int d = in.length - 1; d >= 0; d--) {
            strides[d + offset] = in[d] == 1 && out[d + offset] != 1 ? 0 : stride;
            stride *= in[d];
        }
        return strides;
    }

    static int[] binary(String op, int[] a, int[] b, int[] out) {
        checkRank(op, out);
        int[] g = new int[INTS];
        g[0] = out.length;
        System.arraycopy(out, 0, g, 1, out.length);
        System.arraycopy(broadcastStrides(a, out), 0, g, 1 + MAX_RANK, out.length);
        System.arraycopy(broadcastStrides(b, out), 0, g, 1 + 2 * MAX_RANK, out.length);
        return g;
    }

    /** dims = src dims; the a-stride slot holds 1 where dst keeps the axis, 0 where it is summed away. */
    static int[] reduction(int[] src, int[] dst) {
        checkRank("reduceSumTo", src);
        int[] g = new int[INTS];
        g[0] = src.length;
        System.arraycopy(src, 0, g, 1, src.length);
        int offset = src.length - dst.length;
        for (int d = 0; d < src.length; d++) {
            int kept = d < offset ? 1 : dst[d - offset];
            if (kept != src[d] && kept != 1) {
                throw new IllegalArgumentException("reduceSumTo: cannot reduce " + Arrays.toString(src) + " to "
                        + Arrays.toString(dst));
            }
            g[1 + MAX_RANK + d] = kept == src[d] ? 1 : 0;
        }
        return g;
    }

    private static void checkRank(String op, int[] dims) {
        if (dims.length > MAX_RANK) {
            throw new IllegalArgumentException(op + " on CUDA: at most " + MAX_RANK + " dimensions, got "
                    + Arrays.toString(dims));
        }
    }
}
