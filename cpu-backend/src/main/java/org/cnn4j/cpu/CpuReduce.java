package org.cnn4j.cpu;

/**
 * Sum reductions to a broadcast-compatible shape, accumulated in double. Large ones split the rows into a fixed
 * number of parts ({@link CpuThreads#REDUCTION_PARTS}, whatever the thread count), sum the parts in parallel and
 * add the partial sums in part order, so the result does not depend on the thread count.
 */
final class CpuReduce {
    /** Cap on the partial accumulators, so a parallel reduction never allocates more than this many doubles. */
    private static final int MAX_PARTIAL_DOUBLES = 1 << 20;

    private CpuReduce() {
    }

    /** Sums {@code src} over the axes where {@code dst} (right-aligned, maybe of lower rank) has size 1. */
    static void sumTo(float[] src, int[] srcDims, float[] dst, int[] dstDims) {
        // a = position in dst (stride 0 on reduced axes), b = position in src (contiguous)
        Broadcast plan = Broadcast.of(srcDims, dstDims, srcDims);
        int rank = plan.dims.length;
        if (src.length == 0 || rank == 0) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = src.length == 0 ? 0f : src[i];
            }
            return;
        }
        int last = plan.dims[rank - 1];
        int rows = src.length / last;
        int chunks = Math.min(CpuThreads.REDUCTION_PARTS, rows);
        if (chunks > 1 && (long) chunks * dst.length <= MAX_PARTIAL_DOUBLES && (long) src.length >= 1 << 16) {
            double[][] partial = new double[chunks][];
            int per = (rows + chunks - 1) / chunks;
            CpuThreads.parallelFor(chunks, Long.MAX_VALUE / chunks, (from, to) -> {
                for (int c = from; c < to; c++) {
                    partial[c] = new double[dst.length];
                    accumulateRows(plan, src, partial[c], c * per, Math.min(rows, (c + 1) * per));
                }
            });
            for (int i = 0; i < dst.length; i++) {
                double s = 0;
                for (double[] p : partial) {
                    s += p[i];
                }
                dst[i] = (float) s;
            }
            return;
        }
        double[] acc = new double[dst.length];
        accumulateRows(plan, src, acc, 0, rows);
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) acc[i];
        }
    }

    /** Adds rows {@code [from, to)} of the merged src iteration space into {@code acc}. */
    private static void accumulateRows(Broadcast plan, float[] src, double[] acc, int from, int to) {
        int rank = plan.dims.length;
        int last = plan.dims[rank - 1];
        boolean lastReduced = plan.aStrides[rank - 1] == 0;
        for (int row = from; row < to; row++) {
            int di = 0;
            int rest = row;
            for (int d = rank - 2; d >= 0; d--) {
                int idx = rest % plan.dims[d];
                rest /= plan.dims[d];
                di += idx * plan.aStrides[d];
            }
            int si = row * last;
            if (lastReduced) {
                double s = 0;
                for (int k = 0; k < last; k++) {
                    s += src[si + k];
                }
                acc[di] += s;
            } else {
                for (int k = 0; k < last; k++) {
                    acc[di + k] += src[si + k];
                }
            }
        }
    }
}
