package org.cnn4j.cpu;

/**
 * Packing for {@link VectorGemm}: op(A) into row panels and op(B) into column panels laid out in the order the
 * micro-kernel reads them, zero-padded to whole panels so the kernel never needs a bounds case.
 */
final class VectorPack {
    private VectorPack() {
    }

    /**
     * pa[paOff + ir*kc + p*mr + ii] = alpha * op(A)[i0+ir+ii, p0+p] for panels of {@code mr} rows (ir a multiple
     * of mr); rows past {@code mc} are zero.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, float alpha, int i0, int mc, int p0, int kc,
                      float[] pa, int paOff, int mr) {
        for (int ir = 0; ir < mc; ir += mr) {
            int base = paOff + ir * kc;
            int rows = Math.min(mr, mc - ir);
            if (transA) { // A is stored k x m: each depth step reads `rows` consecutive values
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    int dst = base + p * mr;
                    for (int ii = 0; ii < rows; ii++) {
                        pa[dst + ii] = alpha * a[src + ii];
                    }
                    for (int ii = rows; ii < mr; ii++) {
                        pa[dst + ii] = 0f;
                    }
                }
            } else {
                for (int ii = 0; ii < mr; ii++) {
                    if (ii < rows) {
                        int src = aOff + (i0 + ir + ii) * lda + p0;
                        for (int p = 0; p < kc; p++) {
                            pa[base + p * mr + ii] = alpha * a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            pa[base + p * mr + ii] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * pb[pbOff + jr*kc + p*nr + jj] = op(B)[p0+p, j0+jr+jj] for panels of {@code nr} columns (jr a multiple of
     * nr); columns past {@code nc} are zero.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] pb,
                      int pbOff, int nr) {
        for (int jr = 0; jr < nc; jr += nr) {
            int base = pbOff + jr * kc;
            int cols = Math.min(nr, nc - jr);
            if (transB) { // B is stored n x k: write the panel's rows in order, reading across B's `cols` rows
                int src = bOff + (j0 + jr) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * nr;
                    for (int jj = 0; jj < cols; jj++) {
                        pb[dst + jj] = b[src + jj * ldb + p];
                    }
                    for (int jj = cols; jj < nr; jj++) {
                        pb[dst + jj] = 0f;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * nr;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + jr, pb, dst, cols);
                    if (cols < nr) {
                        java.util.Arrays.fill(pb, dst + cols, dst + nr, 0f);
                    }
                }
            }
        }
    }
}
