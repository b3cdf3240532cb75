package org.cnn4j.cpu;

/**
 * Row-major single-precision GEMM. Uses {@link VectorGemm} when {@link VectorSupport#ENABLED}; otherwise the
 * scalar path here, which packs cache-sized blocks of op(A) (scaled by alpha) and op(B)
 * into per-thread buffers, so every transpose combination runs the same unit-stride micro-kernel, and splits C
 * into tiles that run in parallel. Each tile accumulates in per-thread rows; the micro-kernel adds four packed
 * rows of B (times four values of A) to one accumulator row, a loop shape HotSpot's auto-vectoriser turns into
 * SIMD code (see {@link #kernel}).
 */
final class CpuGemm {
    /** Rows of C per tile. The block sizes were tuned on Zen 4 with the conv 3x3 C64 56x56 GEMM shape. */
    static final int MC = 32;
    /** Columns of C per tile (the packed B panel's row length). */
    static final int NC = 512;
    /** Depth of one packed block; a block of B (KC x NC floats, 256 KB) stays in L2. */
    static final int KC = 128;

    /** Per-thread packing buffers and the C tile's accumulator rows; fixed size, allocated once per thread. */
    private static final class Workspace {
        final float[] packedA = new float[MC * KC];
        final float[][] packedB = new float[KC][NC];
        final float[][] acc = new float[MC][NC];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private CpuGemm() {
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C}; op(A) is m x k, op(B) is k x n, all row-major and dense. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     float[] b, int bOff, float beta, float[] c, int cOff) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, transA ? m : k, b, bOff, transB ? k : n, beta, c, cOff, n);
    }

    /**
     * The same on sub-matrices: {@code lda}, {@code ldb}, {@code ldc} are the row strides of A, B and C as stored
     * (A stored k x m when transposed, B stored n x k when transposed), as in BLAS.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (VectorSupport.ENABLED) {
            VectorGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            scalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Floats that {@link #prepareA} writes for an m x k op(A). */
    static int preparedASize(int m, int k) {
        return VectorSupport.ENABLED ? VectorGemm.packedASize(m, k) : m * k;
    }

    /**
     * Prepares op(A) (m x k) once for several {@link #gemmPrepared} calls that share it: packed for the vector
     * kernel ({@link VectorGemm#packWholeA}), else copied row-major. Copies exactly, so the products are the same
     * as {@link #gemm}'s with alpha 1.
     */
    static void prepareA(boolean transA, float[] a, int aOff, int lda, int m, int k, float[] out, int outOff) {
        if (VectorSupport.ENABLED) {
            VectorGemm.packWholeA(transA, a, aOff, lda, 1f, m, k, out, outOff);
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                out[outOff + i * k + p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            }
        }
    }

    /** {@code C = A * op(B) + beta * C} with A (m x k) made by {@link #prepareA}; ldb and ldc as in {@link #gemm}. */
    static void gemmPrepared(int m, int n, int k, float[] pa, int paOff, boolean transB, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (VectorSupport.ENABLED) {
            VectorGemm.gemmPackedA(m, n, k, pa, paOff, transB, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            scalar(false, transB, m, n, k, 1f, pa, paOff, k, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** The scalar path (auto-vectorised loops), used without the Vector API module. */
    static void scalar(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        int tilesM = (m + MC - 1) / MC;
        int tilesN = (n + NC - 1) / NC;
        long costPerTile = 2L * Math.min(m, MC) * Math.min(n, NC) * Math.max(k, 1);
        CpuThreads.parallelFor(tilesM * tilesN, costPerTile, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (t / tilesN) * MC, j0 = (t % tilesN) * NC;
                tile(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, i0,
                        Math.min(MC, m - i0), j0, Math.min(NC, n - j0));
            }
        });
    }

    /** Computes the C tile rows [i0, i0+mc) x columns [j0, j0+nc) over the whole depth k. */
    private static void tile(boolean transA, boolean transB, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int i0, int mc,
                             int j0, int nc) {
        Workspace ws = WORKSPACE.get();
        float[][] acc = ws.acc;
        int tileOff = cOff + i0 * ldc + j0;
        for (int i = 0; i < mc; i++) {
            float[] row = acc[i];
            if (beta == 0f) {
                java.util.Arrays.fill(row, 0, nc, 0f); // beta == 0 ignores NaN/Inf in C, as BLAS does
            } else {
                System.arraycopy(c, tileOff + i * ldc, row, 0, nc);
                if (beta != 1f) {
                    for (int j = 0; j < nc; j++) {
                        row[j] *= beta;
                    }
                }
            }
        }
        if (alpha != 0f) {
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                packA(transA, lda, alpha, a, aOff, i0, mc, p0, kc, ws.packedA);
                packB(transB, ldb, b, bOff, p0, kc, j0, nc, ws.packedB);
                kernel(ws.packedA, ws.packedB, acc, mc, nc, kc);
            }
        }
        for (int i = 0; i < mc; i++) {
            System.arraycopy(acc[i], 0, c, tileOff + i * ldc, nc);
        }
    }

    /** pa[i*kc + p] = alpha * op(A)[i0+i, p0+p]. */
    private static void packA(boolean transA, int lda, float alpha, float[] a, int aOff, int i0, int mc,
                              int p0, int kc, float[] pa) {
        for (int i = 0; i < mc; i++) {
            int dst = i * kc;
            if (transA) { // A is stored k x m
                int src = aOff + p0 * lda + i0 + i;
                for (int p = 0; p < kc; p++) {
                    pa[dst + p] = alpha * a[src + p * lda];
                }
            } else {
                int src = aOff + (i0 + i) * lda + p0;
                for (int p = 0; p < kc; p++) {
                    pa[dst + p] = alpha * a[src + p];
                }
            }
        }
    }

    /** pb[p][j] = op(B)[p0+p, j0+j]. */
    private static void packB(boolean transB, int ldb, float[] b, int bOff, int p0, int kc, int j0, int nc,
                              float[][] pb) {
        if (transB) { // B is stored n x k: read rows of B (unit stride) and scatter into columns of pb
            for (int j = 0; j < nc; j++) {
                int src = bOff + (j0 + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    pb[p][j] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * ldb + j0, pb[p], 0, nc);
            }
        }
    }

    /**
     * acc[i][j] += sum_p pa[i, p] * pb[p][j] for an mc x nc tile. HotSpot 17 auto-vectorises the inner loop only
     * when every array in it is indexed by the same expression (hence packed rows and accumulator rows) and the
     * body is small enough to unroll (hence one row of C per loop, four k-steps). Four rows of B are applied to
     * every accumulator row before moving on, so the tile and those rows stay in L1.
     */
    private static void kernel(float[] pa, float[][] pb, float[][] acc, int mc, int nc, int kc) {
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            float[] b0 = pb[p], b1 = pb[p + 1], b2 = pb[p + 2], b3 = pb[p + 3];
            for (int i = 0; i < mc; i++) {
                int r = i * kc + p;
                rank4(pa[r], pa[r + 1], pa[r + 2], pa[r + 3], b0, b1, b2, b3, acc[i], nc);
            }
        }
        for (; p < kc; p++) {
            float[] b0 = pb[p];
            for (int i = 0; i < mc; i++) {
                float a0 = pa[i * kc + p];
                float[] row = acc[i];
                for (int j = 0; j < nc; j++) {
                    row[j] += a0 * b0[j];
                }
            }
        }
    }

    /** One row of C += its four A values times four packed rows of B. */
    private static void rank4(float a0, float a1, float a2, float a3, float[] b0, float[] b1, float[] b2,
                              float[] b3, float[] row, int nc) {
        for (int j = 0; j < nc; j++) {
            row[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    /** The plain triple loop: the oracle for the fast path. */
    static void reference(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                          float[] b, int bOff, float beta, float[] c, int cOff) {
        reference(transA, transB, m, n, k, alpha, a, aOff, transA ? m : k, b, bOff, transB ? k : n, beta, c, cOff, n);
    }

    static void reference(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                          int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * sum + (beta == 0f ? 0f : beta * c[ci]);
            }
        }
    }
}
