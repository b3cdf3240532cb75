package org.cnn4j.cpu;

import org.cnn4j.backend.ConvSpec;

/**
 * Fast 2-D convolution: each (image, group) is lowered with {@link Im2col} and multiplied with {@link CpuGemm}.
 * Work runs in parallel over images and groups when there are enough of them, otherwise inside the GEMM.
 * {@link CpuConvReference} holds the plain loops these are tested against.
 * x [N,C,H,W], w [K,C/groups,R,S], y [N,K,P,Q].
 */
final class CpuConv {
    private static final CpuScratch COLUMNS = new CpuScratch();
    private static final CpuScratch PARTIALS = new CpuScratch();

    private CpuConv() {
    }

    /** The sizes of one convolution, derived once per call. */
    private record Dims(int n, int c, int h, int w, int k, int cg, int kg, int r, int s, int p, int q, int groups) {
        static Dims of(int[] xd, int[] wd, int[] yd, ConvSpec spec) {
            int g = spec.groups();
            return new Dims(xd[0], xd[1], xd[2], xd[3], wd[0], wd[1], wd[0] / g, wd[2], wd[3], yd[2], yd[3], g);
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
    }

    static void forward(float[] x, int[] xd, float[] w, int[] wd, float[] y, int[] yd, ConvSpec spec) {
        Dims d = Dims.of(xd, wd, yd, spec);
        long cost = 2L * d.kg * d.rows() * d.pixels();
        CpuThreads.RangeBody body = (from, to) -> {
            for (int t = from; t < to; t++) {
                forwardTask(x, w, y, d, spec, t / d.groups, t % d.groups);
            }
        };
        if (d.parallelOverTasks()) {
            CpuThreads.parallelFor(d.tasks(), cost, body);
        } else {
            body.run(0, d.tasks()); // the GEMM inside parallelises
        }
    }

    private static void forwardTask(float[] x, float[] w, float[] y, Dims d, ConvSpec spec, int n, int g) {
        int xOff = (n * d.c + g * d.cg) * d.h * d.w;
        int yOff = (n * d.k + g * d.kg) * d.pixels();
        int wOff = g * d.kg * d.rows();
        float[] col = x;
        int colOff = xOff;
        if (!Im2col.isIdentity(d.r, d.s, d.p, d.q, d.h, d.w, spec)) {
            col = COLUMNS.get(d.rows() * d.pixels());
            colOff = 0;
            Im2col.im2col(x, xOff, d.cg, d.h, d.w, d.r, d.s, d.p, d.q, spec, col);
        }
        CpuGemm.gemm(false, false, d.kg, d.pixels(), d.rows(), 1f, w, wOff, col, colOff, 0f, y, yOff);
    }

    static void backwardData(float[] dy, int[] yd, float[] w, int[] wd, float[] dx, int[] xd, ConvSpec spec) {
        Dims d = Dims.of(xd, wd, yd, spec);
        long cost = 2L * d.kg * d.rows() * d.pixels();
        CpuThreads.RangeBody body = (from, to) -> {
            for (int t = from; t < to; t++) {
                backwardDataTask(dy, w, dx, d, spec, t / d.groups, t % d.groups);
            }
        };
        if (d.parallelOverTasks()) {
            CpuThreads.parallelFor(d.tasks(), cost, body);
        } else {
            body.run(0, d.tasks());
        }
    }

    /** dcol = W_g^T * dy_g, then dx_g = col2im(dcol). */
    private static void backwardDataTask(float[] dy, float[] w, float[] dx, Dims d, ConvSpec spec, int n, int g) {
        int dxOff = (n * d.c + g * d.cg) * d.h * d.w;
        int dyOff = (n * d.k + g * d.kg) * d.pixels();
        int wOff = g * d.kg * d.rows();
        if (Im2col.isIdentity(d.r, d.s, d.p, d.q, d.h, d.w, spec)) {
            CpuGemm.gemm(true, false, d.rows(), d.pixels(), d.kg, 1f, w, wOff, dy, dyOff, 0f, dx, dxOff);
            return;
        }
        float[] col = COLUMNS.get(d.rows() * d.pixels());
        CpuGemm.gemm(true, false, d.rows(), d.pixels(), d.kg, 1f, w, wOff, dy, dyOff, 0f, col, 0);
        java.util.Arrays.fill(dx, dxOff, dxOff + d.cg * d.h * d.w, 0f);
        Im2col.col2im(col, dx, dxOff, d.cg, d.h, d.w, d.r, d.s, d.p, d.q, spec);
    }

    /**
     * dW_g = sum over images of dy_g * col^T. With several threads and several images, the images are split
     * into one fixed contiguous part per thread, each part sums into its own partial dW, and the partials are
     * added in part order, so the result does not depend on scheduling.
     */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec) {
        Dims d = Dims.of(xd, wd, yd, spec);
        int size = d.k * d.rows();
        int parts = Math.min(d.n, CpuThreads.parallelism());
        if (d.groups >= CpuThreads.parallelism() || parts <= 1) {
            // parallel over groups (each owns its slice of dW) or, for one image, inside the GEMM
            CpuThreads.parallelFor(d.groups, 2L * d.n * d.kg * d.rows() * d.pixels(), (from, to) -> {
                for (int g = from; g < to; g++) {
                    for (int n = 0; n < d.n; n++) {
                        backwardFilterTask(x, dy, dw, 0, d, spec, n, g, n > 0);
                    }
                }
            });
            return;
        }
        float[] partial = PARTIALS.get(parts * size);
        long cost = 2L * d.k * d.rows() * d.pixels() * ((d.n + parts - 1) / parts);
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
        System.arraycopy(partial, 0, dw, 0, size);
        for (int part = 1; part < parts; part++) {
            int off = part * size;
            for (int i = 0; i < size; i++) {
                dw[i] += partial[off + i];
            }
        }
    }

    /** dw[dwOff + group g] (+)= dy[n, g] * col(x[n, g])^T; overwrites when {@code accumulate} is false. */
    private static void backwardFilterTask(float[] x, float[] dy, float[] dw, int dwOff, Dims d, ConvSpec spec,
                                           int n, int g, boolean accumulate) {
        int xOff = (n * d.c + g * d.cg) * d.h * d.w;
        int dyOff = (n * d.k + g * d.kg) * d.pixels();
        int wOff = dwOff + g * d.kg * d.rows();
        float[] col = x;
        int colOff = xOff;
        if (!Im2col.isIdentity(d.r, d.s, d.p, d.q, d.h, d.w, spec)) {
            col = COLUMNS.get(d.rows() * d.pixels());
            colOff = 0;
            Im2col.im2col(x, xOff, d.cg, d.h, d.w, d.r, d.s, d.p, d.q, spec, col);
        }
        CpuGemm.gemm(false, true, d.kg, d.rows(), d.pixels(), 1f, dy, dyOff, col, colOff, accumulate ? 1f : 0f,
                dw, wOff);
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
