package org.cnn4j.cpu;

/**
 * Index plan for iterating an output shape while reading two operands broadcast to it (NumPy rules, shapes
 * right-aligned). Strides are in elements and 0 along broadcast axes. Size-1 output axes are dropped and
 * adjacent axes that both operands traverse contiguously are merged, so the loops run over as few, as long
 * axes as possible.
 */
final class Broadcast {
    final int[] dims;
    final int[] aStrides;
    final int[] bStrides;

    private Broadcast(int[] dims, int[] aStrides, int[] bStrides) {
        this.dims = dims;
        this.aStrides = aStrides;
        this.bStrides = bStrides;
    }

    static Broadcast of(int[] outDims, int[] aDims, int[] bDims) {
        int rank = outDims.length;
        int[] sa = stridesIn(outDims, aDims);
        int[] sb = stridesIn(outDims, bDims);
        int[] dims = new int[rank];
        int[] ra = new int[rank];
        int[] rb = new int[rank];
        int m = 0;
        for (int d = 0; d < rank; d++) {
            if (outDims[d] == 1) {
                continue;
            }
            if (m > 0 && ra[m - 1] == sa[d] * outDims[d] && rb[m - 1] == sb[d] * outDims[d]) {
                dims[m - 1] *= outDims[d];
                ra[m - 1] = sa[d];
                rb[m - 1] = sb[d];
                continue;
            }
            dims[m] = outDims[d];
            ra[m] = sa[d];
            rb[m] = sb[d];
            m++;
        }
        return new Broadcast(java.util.Arrays.copyOf(dims, m), java.util.Arrays.copyOf(ra, m),
                java.util.Arrays.copyOf(rb, m));
    }

    /** Element strides of an operand of shape {@code dims} read at each axis of {@code outDims}. */
    private static int[] stridesIn(int[] outDims, int[] dims) {
        int rank = outDims.length;
        int offset = rank - dims.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= offset; d--) {
            int size = dims[d - offset];
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
        return strides;
    }
}
