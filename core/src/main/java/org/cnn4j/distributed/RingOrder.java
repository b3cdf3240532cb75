package org.cnn4j.distributed;

/**
 * The summation order of every all-reduce in this package, shared by the TCP ring and the in-process group so both
 * give the same bits. A buffer of {@code length} floats is cut into {@code n} contiguous chunks
 * ({@link #chunkStart}); chunk {@code c} is summed starting at rank {@code c} and going round the ring:
 * {@code ((x[c] + x[c+1]) + x[c+2]) + ... + x[c-1]} (ranks mod n), then divided by n for an average. That is the
 * order in which a ring reduce-scatter accumulates the chunk as it passes from rank to rank.
 */
public final class RingOrder {
    private RingOrder() {
    }

    /** First element of chunk {@code chunk} (0..n); chunk sizes differ by at most one. */
    public static int chunkStart(int chunk, int length, int n) {
        return (int) ((long) chunk * length / n);
    }

    /** The chunk that element {@code index} belongs to. */
    public static int chunkOf(int index, int length, int n) {
        int c = (int) ((long) index * n / length);
        while (chunkStart(c + 1, length, n) <= index) {
            c++;
        }
        while (chunkStart(c, length, n) > index) {
            c--;
        }
        return c;
    }

    /**
     * Reduces {@code inputs[rank][from, to)} (one array per rank, same offset in each) into {@code out} in ring
     * order; the reference that both implementations match bit for bit.
     */
    public static void reduce(float[][] inputs, int offset, int length, ReduceOp op, float[] out, int outOffset,
                              int from, int to) {
        int n = inputs.length;
        for (int i = from; i < to; i++) {
            int first = chunkOf(i, length, n);
            float acc = inputs[first][offset + i];
            for (int k = 1; k < n; k++) {
                acc = acc + inputs[(first + k) % n][offset + i];
            }
            out[outOffset + i] = op == ReduceOp.AVERAGE ? acc / n : acc;
        }
    }
}
