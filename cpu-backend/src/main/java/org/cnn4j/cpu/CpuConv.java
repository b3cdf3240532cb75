package org.cnn4j.cpu;

import org.cnn4j.backend.ConvSpec;

/**
 * Fast 2-D convolution: each (image, group) is lowered with {@link Im2col}, a band of output rows at a time,
 * and multiplied with {@link CpuGemm}. Work runs in parallel over images and groups when there are enough of
 * them, otherwise inside the GEMM. {@link CpuConvReference} holds the plain loops these are tested against.
 * 3x3 stride-1 convolutions with enough channels go to {@link Winograd} instead (the overloads taking a column
 * budget always use im2col, so tests can reach both paths). x [N,C,H,W], w [K,C/groups,R,S], y [N,K,P,Q].
 */
final class CpuConv {
    /** Floats of column matrix per band (4 MB): large enough for wide GEMMs, small enough to stay in cache. */
    static final int COLUMN_BUDGET = 1 << 20;

    private static final CpuScratch COLUMNS = new CpuScratch();
    private static final CpuScratch PARTIALS = new CpuScratch();

    private CpuConv() {
    }

    /** The sizes of one convolution, derived once per call. */
    private record Dims(int n, int c, int h, int w, int k, int cg, int kg, int r, int s, int p, int q, int groups,
                        boolean identity, int bandRows) {
        static Dims of(int[] xd, int[] wd, int[] yd, ConvSpec spec, int columnBudget) {
            int g = spec.groups(), rows = wd[1] * wd[2] * wd[3];
            int band = Math.max(1, Math.min(yd[2], columnBudget / Math.max(1, rows * yd[3])));
            return new Dims(xd[0], xd[1], xd[2], xd[3], wd[0], wd[1], wd[0] / g, wd[2], wd[3], yd[2], yd[3], g,
                    Im2col.isIdentity(wd[2], wd[3], yd[2], yd[3], xd[2], xd[3], spec), band);
        }

        int rows() { // rows of the column matrix: C/groups * R * S
            return cg * r * s;
        }

        int pixels() {
            return p * q;
        }

        int tasks() {
            return n * groups;
        }

        /** Parallel over (image, group) tasks when there are enough to keep every thread busy. */
        boolean parallelOverTasks() {
            return tasks() >= CpuThreads.parallelism();
        }

        long flopsPerTask() {
            return 2L * kg * rows() * pixels();
        }
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
        forEachTask(d, (n, g) -> forwardTask(x, w, y, d, spec, n, g));
    }

    private interface Task {
        void run(int image, int group);
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

    /** y[n, group g] = W_g * col(x[n, g]), one band of output rows at a time. */
    private static void forwardTask(float[] x, float[] w, float[] y, Dims d, ConvSpec spec, int n, int g) {
        int xOff = (n * d.c + g * d.cg) * d.h * d.w;
        int yOff = (n * d.k + g * d.kg) * d.pixels();
        int wOff = g * d.kg * d.rows();
        if (d.identity) {
            CpuGemm.gemm(false, false, d.kg, d.pixels(), d.rows(), 1f, w, wOff, x, xOff, 0f, y, yOff);
            return;
        }
        float[] col = COLUMNS.get(d.rows() * d.bandRows * d.q);
        for (int p0 = 0; p0 < d.p; p0 += d.bandRows) {
            int p1 = Math.min(d.p, p0 + d.bandRows), cols = (p1 - p0) * d.q;
            Im2col.im2col(x, xOff, d.cg, d.h, d.w, d.r, d.s, p0, p1, d.q, spec, col);
            CpuGemm.gemm(false, false, d.kg, cols, d.rows(), 1f, w, wOff, d.rows(), col, 0, cols, 0f,
                    y, yOff + p0 * d.q, d.pixels());
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
        forEachTask(d, (n, g) -> backwardDataTask(dy, w, dx, d, spec, n, g));
    }

    /** dcol = W_g^T * dy_g per band, scattered back with col2im into dx (cleared first). */
    private static void backwardDataTask(float[] dy, float[] w, float[] dx, Dims d, ConvSpec spec, int n, int g) {
        int dxOff = (n * d.c + g * d.cg) * d.h * d.w;
        int dyOff = (n * d.k + g * d.kg) * d.pixels();
        int wOff = g * d.kg * d.rows();
        if (d.identity) {
            CpuGemm.gemm(true, false, d.rows(), d.pixels(), d.kg, 1f, w, wOff, dy, dyOff, 0f, dx, dxOff);
            return;
        }
        java.util.Arrays.fill(dx, dxOff, dxOff + d.cg * d.h * d.w, 0f);
        float[] col = COLUMNS.get(d.rows() * d.bandRows * d.q);
        for (int p0 = 0; p0 < d.p; p0 += d.bandRows) {
            int p1 = Math.min(d.p, p0 + d.bandRows), cols = (p1 - p0) * d.q;
            CpuGemm.gemm(true, false, d.rows(), cols, d.kg, 1f, w, wOff, d.rows(), dy, dyOff + p0 * d.q, d.pixels(),
                    0f, col, 0, cols);
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
     * dW_g = sum over images of dy_g * col^T. With enough groups, each group sums its images in order (in
     * parallel over groups). Otherwise the images are split into a fixed number of contiguous parts (set by the
     * batch and weight sizes, never by the thread count), each part sums into its own partial dW in parallel, and
     * the partials are added in part order: the result is the same on any number of threads.
     */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec,
                               int columnBudget) {
        Dims d = Dims.of(xd, wd, yd, spec, columnBudget);
        int size = d.k * d.rows();
        int parts = Math.min(d.n, Math.min(CpuThreads.REDUCTION_PARTS, Math.max(1, PARTIAL_BUDGET / size)));
        if (d.groups >= parts) {
            // parallel over groups (each owns its slice of dW) or, for one group, inside the GEMM
            CpuThreads.parallelFor(d.groups, d.n * d.flopsPerTask(), (from, to) -> {
                for (int g = from; g < to; g++) {
                    for (int n = 0; n < d.n; n++) {
                        backwardFilterTask(x, dy, dw, 0, d, spec, n, g, n > 0);
                    }
                }
            });
            return;
        }
        float[] partial = PARTIALS.get(parts * size);
        long cost = d.groups * d.flopsPerTask() * ((d.n + parts - 1) / parts);
        CpuThreads.parallelFor(parts, cost, (from, to) -> {
            for (int part = from; part < to; part++) {
                int n0 = part * d.n / parts, n1 = (part + 1) * d.n / parts;
                for (int n = n0; n < n1; n++) {
                    for (int g = 0; g < d.groups; g++) {
                        backwardFilterTask(x, dy, partial, part * size, d, spec, n, g, n > n0);
                    }
                }
            }
        });
        addParts(partial, parts, size, dw);
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

    /** dw[dwOff + group g] (+)= dy[n, g] * col(x[n, g])^T; overwrites when {@code accumulate} is false. */
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
