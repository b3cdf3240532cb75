package org.cnn4j.cpu;

import org.cnn4j.backend.ConvSpec;

/**
 * Fast 2-D convolution: each (image, group) is lowered with {@link Im2col} and multiplied with {@link CpuGemm}.
 * The filters are prepared for the GEMM once per call ({@link CpuGemm#prepareA}), not once per image. Small
 * images go several to one column matrix (side by side, as many as fit the column budget), so the GEMM gets
 * enough columns; a large image goes a band of output rows at a time. Work runs in parallel over (batch of
 * images, group) tasks when there are enough of them, otherwise inside the GEMM. {@link CpuConvReference} holds
 * the plain loops these are tested against. 3x3 stride-1 convolutions with enough channels go to
 * {@link Winograd} instead (the overloads taking a column budget always use im2col, so tests can reach both
 * paths). x [N,C,H,W], w [K,C/groups,R,S], y [N,K,P,Q].
 */
final class CpuConv {
    /**
     * Floats of column matrix per band or batch of images (8 MB): large enough for wide GEMMs (the small images
     * of a network's last stage, 7x7 with 4608 rows, go nine to a matrix).
     */
    static final int COLUMN_BUDGET = 1 << 21;
    /**
     * The vector GEMM computes columns in blocks of this many (a multiple of its register block's width at every
     * vector size, fixed so that batches do not depend on the machine's vector width).
     */
    static final int COLUMN_BLOCK = 64;
    /**
     * Only images with fewer output pixels than this are batched: a larger image already fills the GEMM's column
     * blocks (28x28: 784 of 832), and batching it only adds the copy of the outputs into place (measured: the
     * 1x1/2 conv N16 C64->128 56x56 went from 3.4 to 5.1 ms batched).
     */
    static final int BATCH_BELOW_PIXELS = 4 * COLUMN_BLOCK;

    private static final CpuScratch COLUMNS = new CpuScratch();
    private static final CpuScratch PARTIALS = new CpuScratch();
    private static final CpuScratch FILTERS = new CpuScratch();
    /** Outputs (or output gradients) of a batch of images as one [K/groups][images * P * Q] matrix. */
    private static final CpuScratch GATHERED = new CpuScratch();

    private CpuConv() {
    }

    /** The sizes of one convolution, derived once per call. */
    private record Dims(int n, int c, int h, int w, int k, int cg, int kg, int r, int s, int p, int q, int groups,
                        boolean identity, int bandRows, int batch) {
        static Dims of(int[] xd, int[] wd, int[] yd, ConvSpec spec, int columnBudget) {
            int g = spec.groups(), rows = wd[1] * wd[2] * wd[3], pixels = yd[2] * yd[3];
            int band = Math.max(1, Math.min(yd[2], columnBudget / Math.max(1, rows * yd[3])));
            int fit = pixels >= BATCH_BELOW_PIXELS ? 1
                    : (int) Math.min(xd[0], columnBudget / Math.max(1L, (long) rows * pixels));
            return new Dims(xd[0], xd[1], xd[2], xd[3], wd[0], wd[1], wd[0] / g, wd[2], wd[3], yd[2], yd[3], g,
                    Im2col.isIdentity(wd[2], wd[3], yd[2], yd[3], xd[2], xd[3], spec), band, CpuConv.batchSize(xd[0], pixels, fit));
        }

        int rows() { // rows of the column matrix: C/groups * R * S
            return cg * r * s;
        }

        int pixels() {
            return p * q;
        }

        int batches() {
            return (n + batch - 1) / batch;
        }

        int tasks() {
            return batches() * groups;
        }

        /** Parallel over (batch, group) tasks when there are enough to keep every thread busy. */
        boolean parallelOverTasks() {
            return tasks() >= CpuThreads.parallelism();
        }

        long flopsPerTask() {
            return 2L * kg * rows() * pixels() * batch;
        }

        /** Floats of one group's filters as {@link CpuGemm#prepareA} writes them. */
        int preparedSize() {
            return Math.max(CpuGemm.preparedASize(kg, rows()), CpuGemm.preparedASize(rows(), kg));
        }
    }

    /**
     * Images per column matrix, at most {@code fit}: the size whose batches waste the fewest columns when the
     * GEMM rounds each batch up to whole {@link #COLUMN_BLOCK}s (the largest such size on a tie). Depends on
     * the shape only: the filter gradient's summation order follows it.
     */
    static int batchSize(int n, int pixels, int fit) {
        int best = 1;
        long bestColumns = Long.MAX_VALUE;
        for (int b = Math.max(1, fit); b >= 1; b--) {
            int full = n / b, rest = n - full * b;
            long columns = full * roundUp(b * pixels) + roundUp(rest * pixels);
            if (columns < bestColumns) {
                best = b;
                bestColumns = columns;
            }
        }
        return best;
    }

    private static long roundUp(int columns) {
        return (columns + COLUMN_BLOCK - 1L) / COLUMN_BLOCK * COLUMN_BLOCK;
    }

    static void forward(float[] x, int[] xd, float[] w, int[] wd, float[] y, int[] yd, ConvSpec spec) {
        if (Winograd.appliesForward(xd, wd, spec) && Winograd.paysOff(yd)) {
            Winograd.forward(x, xd, w, wd, y, yd, spec, Winograd.SCRATCH_BUDGET);
            return;
        }
        forward(x, xd, w, wd, y, yd, spec, COLUMN_BUDGET);
    }

    /** As above with an explicit band size, so tests can force many bands on small shapes. */
    static void forward(float[] x, int[] xd, float[] w, int[] wd, float[] y, int[] yd, ConvSpec spec,
                        int columnBudget) {
        Dims d = Dims.of(xd, wd, yd, spec, columnBudget);
        float[] filters = prepareFilters(w, d, false);
        forEachTask(d, (b, g) -> forwardTask(x, filters, y, d, spec, b, g));
    }

    /** Each group's W_g (kg x rows), or W_g^T for {@code transposed}, prepared for the GEMM, in parallel. */
    private static float[] prepareFilters(float[] w, Dims d, boolean transposed) {
        int size = d.preparedSize();
        float[] out = FILTERS.get(d.groups * size);
        CpuThreads.parallelFor(d.groups, 2L * d.kg * d.rows(), (from, to) -> {
            for (int g = from; g < to; g++) {
                int wOff = g * d.kg * d.rows();
                if (transposed) {
                    CpuGemm.prepareA(true, w, wOff, d.rows(), d.rows(), d.kg, out, g * size);
                } else {
                    CpuGemm.prepareA(false, w, wOff, d.rows(), d.kg, d.rows(), out, g * size);
                }
            }
        });
        return out;
    }

    private interface Task {
        void run(int batch, int group);
    }

    private static void forEachTask(Dims d, Task task) {
        CpuThreads.RangeBody body = (from, to) -> {
            for (int t = from; t < to; t++) {
                task.run(t / d.groups, t % d.groups);
            }
        };
        if (d.parallelOverTasks()) {
            CpuThreads.parallelFor(d.tasks(), d.flopsPerTask(), body);
        } else {
            body.run(0, d.tasks()); // the GEMM inside parallelises
        }
    }

    /** The first image of batch b. */
    private static int firstImage(Dims d, int b) {
        return b * d.batch;
    }

    /** One past the last image of batch b. */
    private static int endImage(Dims d, int b) {
        return Math.min(d.n, (b + 1) * d.batch);
    }

    /** col = the column matrices of images [n0, n1) of group g side by side ([rows][(n1 - n0) * P * Q]). */
    private static void batchColumns(float[] x, Dims d, ConvSpec spec, int n0, int n1, int g, float[] col) {
        int cols = (n1 - n0) * d.pixels();
        for (int n = n0; n < n1; n++) {
            Im2col.im2col(x, (n * d.c + g * d.cg) * d.h * d.w, d.cg, d.h, d.w, d.r, d.s, 0, d.p, d.q, spec, col,
                    (n - n0) * d.pixels(), cols);
        }
    }

    /** out[k][(n - n0) * PQ + i] = y[n, g * kg + k, i] for images [n0, n1): one batch's outputs as a matrix. */
    private static void gather(float[] y, Dims d, int n0, int n1, int g, float[] out) {
        int pixels = d.pixels(), cols = (n1 - n0) * pixels;
        for (int n = n0; n < n1; n++) {
            for (int k = 0; k < d.kg; k++) {
                System.arraycopy(y, (n * d.k + g * d.kg + k) * pixels, out, k * cols + (n - n0) * pixels, pixels);
            }
        }
    }

    /** The inverse of {@link #gather}. */
    private static void scatter(float[] in, Dims d, int n0, int n1, int g, float[] y) {
        int pixels = d.pixels(), cols = (n1 - n0) * pixels;
        for (int n = n0; n < n1; n++) {
            for (int k = 0; k < d.kg; k++) {
                System.arraycopy(in, k * cols + (n - n0) * pixels, y, (n * d.k + g * d.kg + k) * pixels, pixels);
            }
        }
    }

    /** y[batch b, group g] = W_g * col(x[batch b, g]); one image a band of output rows at a time. */
    private static void forwardTask(float[] x, float[] filters, float[] y, Dims d, ConvSpec spec, int b, int g) {
        int wOff = g * d.preparedSize(), n0 = firstImage(d, b), n1 = endImage(d, b);
        if (d.batch > 1) {
            int cols = (n1 - n0) * d.pixels();
            float[] col = COLUMNS.get(d.rows() * cols), out = GATHERED.get(d.kg * cols);
            batchColumns(x, d, spec, n0, n1, g, col);
            CpuGemm.gemmPrepared(d.kg, cols, d.rows(), filters, wOff, false, col, 0, cols, 0f, out, 0, cols);
            scatter(out, d, n0, n1, g, y);
            return;
        }
        int xOff = (n0 * d.c + g * d.cg) * d.h * d.w;
        int yOff = (n0 * d.k + g * d.kg) * d.pixels();
        if (d.identity) {
            CpuGemm.gemmPrepared(d.kg, d.pixels(), d.rows(), filters, wOff, false, x, xOff, d.pixels(), 0f, y, yOff,
                    d.pixels());
            return;
        }
        float[] col = COLUMNS.get(d.rows() * d.bandRows * d.q);
        for (int p0 = 0; p0 < d.p; p0 += d.bandRows) {
            int p1 = Math.min(d.p, p0 + d.bandRows), cols = (p1 - p0) * d.q;
            Im2col.im2col(x, xOff, d.cg, d.h, d.w, d.r, d.s, p0, p1, d.q, spec, col);
            CpuGemm.gemmPrepared(d.kg, cols, d.rows(), filters, wOff, false, col, 0, cols, 0f, y, yOff + p0 * d.q,
                    d.pixels());
        }
    }

    static void backwardData(float[] dy, int[] yd, float[] w, int[] wd, float[] dx, int[] xd, ConvSpec spec) {
        if (Winograd.appliesBackwardData(xd, wd, spec) && Winograd.paysOff(yd)) {
            Winograd.backwardData(dy, yd, w, wd, dx, xd, spec, Winograd.SCRATCH_BUDGET);
            return;
        }
        backwardData(dy, yd, w, wd, dx, xd, spec, COLUMN_BUDGET);
    }

    static void backwardData(float[] dy, int[] yd, float[] w, int[] wd, float[] dx, int[] xd, ConvSpec spec,
                             int columnBudget) {
        Dims d = Dims.of(xd, wd, yd, spec, columnBudget);
        float[] filters = prepareFilters(w, d, true);
        forEachTask(d, (b, g) -> backwardDataTask(dy, filters, dx, d, spec, b, g));
    }

    /** dcol = W_g^T * dy_g (per batch, or per band of one image), scattered back with col2im into dx (cleared). */
    private static void backwardDataTask(float[] dy, float[] filters, float[] dx, Dims d, ConvSpec spec, int b,
                                         int g) {
        int wOff = g * d.preparedSize(), n0 = firstImage(d, b), n1 = endImage(d, b), plane = d.h * d.w;
        if (d.batch > 1) {
            int cols = (n1 - n0) * d.pixels();
            float[] col = COLUMNS.get(d.rows() * cols), grads = GATHERED.get(d.kg * cols);
            gather(dy, d, n0, n1, g, grads);
            CpuGemm.gemmPrepared(d.rows(), cols, d.kg, filters, wOff, false, grads, 0, cols, 0f, col, 0, cols);
            for (int n = n0; n < n1; n++) {
                int dxOff = (n * d.c + g * d.cg) * plane;
                java.util.Arrays.fill(dx, dxOff, dxOff + d.cg * plane, 0f);
                Im2col.col2im(col, (n - n0) * d.pixels(), cols, dx, dxOff, d.cg, d.h, d.w, d.r, d.s, 0, d.p, d.q,
                        spec);
            }
            return;
        }
        int dxOff = (n0 * d.c + g * d.cg) * plane;
        int dyOff = (n0 * d.k + g * d.kg) * d.pixels();
        if (d.identity) {
            CpuGemm.gemmPrepared(d.rows(), d.pixels(), d.kg, filters, wOff, false, dy, dyOff, d.pixels(), 0f, dx,
                    dxOff, d.pixels());
            return;
        }
        java.util.Arrays.fill(dx, dxOff, dxOff + d.cg * plane, 0f);
        float[] col = COLUMNS.get(d.rows() * d.bandRows * d.q);
        for (int p0 = 0; p0 < d.p; p0 += d.bandRows) {
            int p1 = Math.min(d.p, p0 + d.bandRows), cols = (p1 - p0) * d.q;
            CpuGemm.gemmPrepared(d.rows(), cols, d.kg, filters, wOff, false, dy, dyOff + p0 * d.q, d.pixels(), 0f,
                    col, 0, cols);
            Im2col.col2im(col, dx, dxOff, d.cg, d.h, d.w, d.r, d.s, p0, p1, d.q, spec);
        }
    }

    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec) {
        if (Winograd.appliesForward(xd, wd, spec) && Winograd.paysOff(yd)) {
            Winograd.backwardFilter(x, xd, dy, yd, dw, wd, spec, Winograd.SCRATCH_BUDGET);
            return;
        }
        backwardFilter(x, xd, dy, yd, dw, wd, spec, COLUMN_BUDGET);
    }

    /** Floats of partial weight gradients that {@link #backwardFilter} may hold at once (64 MB). */
    static final int PARTIAL_BUDGET = 1 << 24;

    /**
     * From this many floats of dW per group (256 KB) the GEMM over dW's tiles has work enough for every thread,
     * and {@link #backwardFilter} sums all images in one pass instead of in per-part copies of dW.
     */
    static final int SINGLE_PASS_MIN = 1 << 16;

    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec,
                               int columnBudget) {
        backwardFilter(x, xd, dy, yd, dw, wd, spec, columnBudget, SINGLE_PASS_MIN);
    }

    /**
     * dW_g = sum over images of dy_g * col^T. When dW_g has at least {@code singlePassMin} floats, the images are
     * the GEMM's depth, a batch after another, and the GEMM splits dW's tiles over the threads: each element
     * summed in one fixed order. Otherwise, with enough groups each group sums its images in order (in parallel
     * over groups); or the images are split into a fixed number of contiguous parts (set by the batch and weight
     * sizes, never by the thread count), each part sums into its own partial dW in parallel, and the partials are
     * added in part order. Either way the result is the same on any number of threads.
     */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec,
                               int columnBudget, int singlePassMin) {
        Dims d = Dims.of(xd, wd, yd, spec, columnBudget);
        int size = d.k * d.rows();
        int parts = Math.min(d.n, Math.min(CpuThreads.REDUCTION_PARTS, Math.max(1, PARTIAL_BUDGET / size)));
        if (d.kg * d.rows() >= singlePassMin || d.groups >= parts) {
            // parallel over groups (each owns its slice of dW) or, for few groups, inside the GEMM
            CpuThreads.parallelFor(d.groups, d.n * d.flopsPerTask() / d.batch, (from, to) -> {
                for (int g = from; g < to; g++) {
                    backwardFilterImages(x, dy, dw, 0, d, spec, 0, d.n, g);
                }
            });
            return;
        }
        float[] partial = PARTIALS.get(parts * size);
        long cost = d.groups * d.flopsPerTask() / d.batch * ((d.n + parts - 1) / parts);
        CpuThreads.parallelFor(parts, cost, (from, to) -> {
            for (int part = from; part < to; part++) {
                int n0 = part * d.n / parts, n1 = (part + 1) * d.n / parts;
                for (int g = 0; g < d.groups; g++) {
                    backwardFilterImages(x, dy, partial, part * size, d, spec, n0, n1, g);
                }
            }
        });
        addParts(partial, parts, size, dw);
    }

    /** dw[dwOff + group g] = the sum over images [n0, n1) (batches of up to d.batch, in order) of dy_g * col^T. */
    private static void backwardFilterImages(float[] x, float[] dy, float[] dw, int dwOff, Dims d, ConvSpec spec,
                                             int n0, int n1, int g) {
        for (int b0 = n0; b0 < n1; b0 += d.batch) {
            int b1 = Math.min(n1, b0 + d.batch);
            if (d.batch == 1) {
                backwardFilterTask(x, dy, dw, dwOff, d, spec, b0, g, b0 > n0);
                continue;
            }
            int cols = (b1 - b0) * d.pixels();
            float[] col = COLUMNS.get(d.rows() * cols), grads = GATHERED.get(d.kg * cols);
            batchColumns(x, d, spec, b0, b1, g, col);
            gather(dy, d, b0, b1, g, grads);
            CpuGemm.gemm(false, true, d.kg, d.rows(), cols, 1f, grads, 0, cols, col, 0, cols, b0 > n0 ? 1f : 0f,
                    dw, dwOff + g * d.kg * d.rows(), d.rows());
        }
    }

    /** out[i] = parts[0][i] + parts[1][i] + ..., added in part order (in parallel over i). */
    static void addParts(float[] partial, int parts, int size, float[] out) {
        CpuThreads.parallelFor(size, parts, (from, to) -> {
            System.arraycopy(partial, from, out, from, to - from);
            for (int part = 1; part < parts; part++) {
                int off = part * size;
                for (int i = from; i < to; i++) {
                    out[i] += partial[off + i];
                }
            }
        });
    }

    /** dw[dwOff + group g] (+)= dy[n, g] * col(x[n, g])^T for one image; overwrites unless {@code accumulate}. */
    private static void backwardFilterTask(float[] x, float[] dy, float[] dw, int dwOff, Dims d, ConvSpec spec,
                                           int n, int g, boolean accumulate) {
        int xOff = (n * d.c + g * d.cg) * d.h * d.w;
        int dyOff = (n * d.k + g * d.kg) * d.pixels();
        int wOff = dwOff + g * d.kg * d.rows();
        if (d.identity) {
            CpuGemm.gemm(false, true, d.kg, d.rows(), d.pixels(), 1f, dy, dyOff, x, xOff, accumulate ? 1f : 0f,
                    dw, wOff);
            return;
        }
        float[] col = COLUMNS.get(d.rows() * d.bandRows * d.q);
        for (int p0 = 0; p0 < d.p; p0 += d.bandRows) {
            int p1 = Math.min(d.p, p0 + d.bandRows), cols = (p1 - p0) * d.q;
            Im2col.im2col(x, xOff, d.cg, d.h, d.w, d.r, d.s, p0, p1, d.q, spec, col);
            CpuGemm.gemm(false, true, d.kg, d.rows(), cols, 1f, dy, dyOff + p0 * d.q, d.pixels(), col, 0, cols,
                    accumulate || p0 > 0 ? 1f : 0f, dw, wOff, d.rows());
        }
    }

    /** db[k] = sum over n, p, q of dy[n, k, p, q], in parallel over k. */
    static void backwardBias(float[] dy, int[] yd, float[] db) {
        int n = yd[0], k = yd[1], plane = yd[2] * yd[3];
        CpuThreads.parallelFor(k, (long) n * plane, (from, to) -> {
            for (int ik = from; ik < to; ik++) {
                double sum = 0;
                for (int in = 0; in < n; in++) {
                    int off = (in * k + ik) * plane;
                    float s = 0f;
                    for (int i = 0; i < plane; i++) {
                        s += dy[off + i];
                    }
                    sum += s;
                }
                db[ik] = (float) sum;
            }
        });
    }
}
