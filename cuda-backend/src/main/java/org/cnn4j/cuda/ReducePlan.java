package org.cnn4j.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@code reduce_sum_to} sums a tensor to a broadcast shape with many blocks. A pass cuts each output's
 * reduced range into {@code splits} chunks of {@link #CHUNK} elements, one block per (output, chunk), and
 * writes {@code outputs x splits} partial sums; the next pass sums those rows the same way, until one chunk
 * per output remains and the last pass writes dst. Every sum is taken in a fixed order that depends only on
 * the shapes, so results are identical run to run and independent of how the GPU schedules blocks.
 */
final class ReducePlan {
    /** Elements one block sums: each of its threads adds 16 in sequence before the block's tree. */
    static final int CHUNK = 16 * CudaKernels.BLOCK;

    private ReducePlan() {
    }

    /** One launch: src seen through {@code geometry} (see {@link Geometry#reduction}) summed in chunks. */
    record Pass(int[] geometry, int outputs, int splits) {
        long blocks() {
            return (long) outputs * splits;
        }
    }

    /** Where the passes run: the GPU (CudaKernels) or, in tests, the host emulation of kernels.cu. */
    interface Device<P> {
        P scratch(long floats);

        void release(P scratch);

        void launchGrid(Kernel kernel, long blocks, int threads, Object... args);
    }

    static List<Pass> passes(int[] srcDims, int[] dstDims) {
        int[] geometry = Geometry.reduction(srcDims, dstDims);
        int outputs = Math.toIntExact(numel(dstDims));
        List<Pass> passes = new ArrayList<>();
        if (outputs == 0) {
            return passes;
        }
        long reduced = numel(srcDims) / outputs;
        while (true) {
            int splits = Math.toIntExact(Math.max(1, (reduced + CHUNK - 1) / CHUNK));
            passes.add(new Pass(geometry, outputs, splits));
            if (splits == 1) {
                return passes;
            }
            geometry = Geometry.reduction(new int[] {outputs, splits}, new int[] {outputs, 1});
            reduced = splits;
        }
    }

    /** Launches the passes on {@code device}: src to partial sums in scratch blocks to ... to dst. */
    static <P> void run(Device<P> device, P src, int[] srcDims, P dst, int[] dstDims) {
        List<Pass> passes = passes(srcDims, dstDims);
        List<P> scratch = new ArrayList<>();
        try {
            P in = src;
            for (int i = 0; i < passes.size(); i++) {
                Pass p = passes.get(i);
                boolean last = i == passes.size() - 1;
                P out = last ? dst : device.scratch(p.blocks());
                if (!last) {
                    scratch.add(out);
                }
                device.launchGrid(Kernel.REDUCE_SUM_TO, p.blocks(), CudaKernels.BLOCK, in, out, p.outputs(),
                        p.splits(), CHUNK, p.geometry());
                in = out;
            }
        } finally {
            // one stream: the launches above read these blocks before any later owner can write them
            scratch.forEach(device::release);
        }
    }

    private static long numel(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
