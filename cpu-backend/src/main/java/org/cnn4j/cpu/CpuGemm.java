package org.cnn4j.cpu;

/**
 * Row-major single-precision GEMM. The fast path packs cache-sized blocks of op(A) (scaled by alpha) and op(B)
 * into per-thread buffers, so every transpose combination runs the same unit-stride micro-kernel, and splits C
 * into tiles that run in parallel. The micro-kernel updates two rows of C with four k-steps per pass over
 * packed rows of B, a loop shape HotSpot's auto-vectoriser turns into SIMD code.
 */
final class CpuGemm {
    /** Rows of C per tile. */
    static final int MC = 64;
    /** Columns of C per tile (the packed B panel's row length). */
    static final int NC = 256;
    /** Depth of one packed block; a block of B (KC x NC floats) stays in L2. */
    static final int KC = 256;

    /** Per-thread packing buffers and accumulator rows, fixed size, allocated once per thread. */
    private static final class Workspace {
        final float[] packedA = new float[MC * KC];
        final float[][] packedB = new float[KC][NC];
        final float[] acc0 = new float[NC];
        final float[] acc1 = new float[NC];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private CpuGemm() {
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C}; op(A) is m x k, op(B) is k x n, all row-major. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     float[] b, int bOff, float beta, float[] c, int cOff) {
        if (m <= 0 || n <= 0) {
            return;
        }
        int tilesM = (m + MC - 1) / MC;
        int tilesN = (n + NC - 1) / NC;
        long costPerTile = 2L * Math.min(m, MC) * Math.min(n, NC) * Math.max(k, 1);
        CpuThreads.parallelFor(tilesM * tilesN, costPerTile, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (t / tilesN) * MC, j0 = (t % tilesN) * NC;
                tile(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, i0,
                        Math.min(MC, m - i0), j0, Math.min(NC, n - j0));
            }
        });
    }

    /** Computes the C tile rows [i0, i0+mc) x columns [j0, j0+nc) over the whole depth k. */
    private static void tile(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                             float[] b, int bOff, float beta, float[] c, int cOff, int i0, int mc, int j0, int nc) {
        scaleTile(c, cOff + i0 * n + j0, n, mc, nc, beta);
        if (k == 0 || alpha == 0f) {
            return;
        }
        Workspace ws = WORKSPACE.get();
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packA(transA, m, k, alpha, a, aOff, i0, mc, p0, kc, ws.packedA);
            packB(transB, n, k, b, bOff, p0, kc, j0, nc, ws.packedB);
            kernel(ws.packedA, ws.packedB, ws.acc0, ws.acc1, c, cOff + i0 * n + j0, n, mc, nc, kc);
        }
    }

    private static void scaleTile(float[] c, int off, int ldc, int mc, int nc, float beta) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < mc; i++) {
            int row = off + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + nc, 0f); // beta == 0 ignores NaN/Inf in C, as BLAS does
            } else {
                for (int j = 0; j < nc; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /** pa[i*kc + p] = alpha * op(A)[i0+i, p0+p]. */
    private static void packA(boolean transA, int m, int k, float alpha, float[] a, int aOff, int i0, int mc,
                              int p0, int kc, float[] pa) {
        for (int i = 0; i < mc; i++) {
            int dst = i * kc;
            if (transA) { // A is stored k x m
                int src = aOff + p0 * m + i0 + i;
                for (int p = 0; p < kc; p++) {
                    pa[dst + p] = alpha * a[src + p * m];
                }
            } else {
                int src = aOff + (i0 + i) * k + p0;
                for (int p = 0; p < kc; p++) {
                    pa[dst + p] = alpha * a[src + p];
                }
            }
        }
    }

    /** pb[p][j] = op(B)[p0+p, j0+j]. */
    private static void packB(boolean transB, int n, int k, float[] b, int bOff, int p0, int kc, int j0, int nc,
                              float[][] pb) {
        if (transB) { // B is stored n x k: read rows of B (unit stride) and scatter into columns of pb
            for (int j = 0; j < nc; j++) {
                int src = bOff + (j0 + j) * k + p0;
                for (int p = 0; p < kc; p++) {
                    pb[p][j] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * n + j0, pb[p], 0, nc);
            }
        }
    }

    /**
     * C[i, j] += sum_p pa[i, p] * pb[p][j] for an mc x nc block of C with row stride ldc. Rows of C are copied
     * into the accumulators and back because HotSpot (17) vectorises the inner loop only when every array in it
     * is indexed by the same expression; the packed B rows are separate arrays for the same reason.
     */
    private static void kernel(float[] pa, float[][] pb, float[] acc0, float[] acc1, float[] c, int cOff, int ldc,
                               int mc, int nc, int kc) {
        int i = 0;
        for (; i + 2 <= mc; i += 2) {
            int c0 = cOff + i * ldc, c1 = c0 + ldc;
            System.arraycopy(c, c0, acc0, 0, nc);
            System.arraycopy(c, c1, acc1, 0, nc);
            int r0 = i * kc, r1 = r0 + kc;
            int p = 0;
            for (; p + 4 <= kc; p += 4) {
                rank4(pb[p], pb[p + 1], pb[p + 2], pb[p + 3], pa[r0 + p], pa[r0 + p + 1], pa[r0 + p + 2],
                        pa[r0 + p + 3], pa[r1 + p], pa[r1 + p + 1], pa[r1 + p + 2], pa[r1 + p + 3], acc0, acc1, nc);
            }
            for (; p < kc; p++) {
                float a0 = pa[r0 + p], e0 = pa[r1 + p];
                float[] b = pb[p];
                for (int j = 0; j < nc; j++) {
                    acc0[j] += a0 * b[j];
                    acc1[j] += e0 * b[j];
                }
            }
            System.arraycopy(acc0, 0, c, c0, nc);
            System.arraycopy(acc1, 0, c, c1, nc);
        }
        if (i < mc) { // odd last row
            int c0 = cOff + i * ldc, r0 = i * kc;
            System.arraycopy(c, c0, acc0, 0, nc);
            for (int p = 0; p < kc; p++) {
                float a0 = pa[r0 + p];
                float[] b = pb[p];
                for (int j = 0; j < nc; j++) {
                    acc0[j] += a0 * b[j];
                }
            }
            System.arraycopy(acc0, 0, c, c0, nc);
        }
    }

    /** Two rows of C += (their four A values) x (four packed rows of B). */
    private static void rank4(float[] b0, float[] b1, float[] b2, float[] b3, float a0, float a1, float a2,
                              float a3, float e0, float e1, float e2, float e3, float[] acc0, float[] acc1, int nc) {
        for (int j = 0; j < nc; j++) {
            float x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
            acc0[j] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
            acc1[j] += e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3;
        }
    }

    /** The plain triple loop: the oracle for the fast path. */
    static void reference(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                          float[] b, int bOff, float beta, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    sum += av * bv;
                }
                int ci = cOff + i * n + j;
                c[ci] = alpha * sum + (beta == 0f ? 0f : beta * c[ci]);
            }
        }
    }
}
