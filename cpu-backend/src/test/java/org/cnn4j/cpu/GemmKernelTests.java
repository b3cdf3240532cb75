package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A GEMM path (packed, blocked, parallel) against the plain triple loop; one concrete subclass per path (scalar
 * and Vector API), so both stay checked whichever the JVM would pick.
 */
abstract class GemmKernelTests {
    /** The path under test, with CpuGemm.gemm's contract. */
    abstract void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                       int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    private void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                      float[] b, int bOff, float beta, float[] c, int cOff) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, transA ? m : k, b, bOff, transB ? k : n, beta, c, cOff, n);
    }

    private final Random random = new Random(7);

    /**
     * Sizes chosen to hit partial tiles in every blocking dimension of both paths (scalar MC=32, NC=512, KC=128;
     * vector with 512-bit lanes MR=4, NR=64, MC=96, KC=128, NG=256, NC=1024) and tiny cases.
     */
    private static final int[][] SIZES = {
        {1, 1, 1}, {3, 5, 7}, {2, 1, 9}, {1, 17, 4}, {32, 512, 128}, {33, 513, 129}, {65, 257, 300}, {130, 9, 513},
        {7, 1100, 33}, {64, 1030, 260},
        {33, 40, 520}, {97, 1025, 257}, {5, 63, 3}, {95, 65, 600},
    };

    @Test
    void allTransposeCombinationsMatchReference() {
        for (int[] size : SIZES) {
            for (int combo = 0; combo < 4; combo++) {
                check(combo >= 2, combo % 2 == 1, size[0], size[1], size[2], 1f, 0f);
            }
        }
    }

    @Test
    void alphaAndBetaScaleAsBlasDoes() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(ta, tb, 70, 300, 40, 0.5f, -1.5f);
                check(ta, tb, 5, 6, 7, -2f, 1f);
                check(ta, tb, 9, 3, 260, 0f, 0.25f); // alpha 0: C = beta C
                check(ta, tb, 2000, 40, 3, 0f, 0.5f); // alpha 0 on enough rows to be split among threads
            }
        }
    }

    @Test
    void zeroDepthScalesC() {
        check(false, false, 4, 5, 0, 1f, 3f);
        check(true, true, 4, 5, 0, 1f, 0f);
    }

    @Test
    void betaZeroOverwritesNaN() {
        float[] a = KernelAssert.uniform(random, 6), b = KernelAssert.uniform(random, 6);
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] expected = new float[4];
        CpuGemm.reference(false, false, 2, 2, 3, 1f, a, 0, b, 0, 0f, expected, 0);
        gemm(false, false, 2, 2, 3, 1f, a, 0, b, 0, 0f, c, 0);
        KernelAssert.assertClose("gemm beta=0 with NaN C", expected, c);
    }

    @Test
    void respectsOffsetsAndLeavesSurroundingMemoryAlone() {
        int m = 37, n = 45, k = 29, off = 11;
        float[] a = KernelAssert.uniform(random, off + m * k + off);
        float[] b = KernelAssert.uniform(random, off + k * n + off);
        float[] c = KernelAssert.uniform(random, off + m * n + off);
        float[] expected = c.clone();
        CpuGemm.reference(true, false, m, n, k, 1.25f, a, off, b, off, 0.5f, expected, off);
        gemm(true, false, m, n, k, 1.25f, a, off, b, off, 0.5f, c, off);
        KernelAssert.assertClose("gemm with offsets", expected, c);
        for (int i = 0; i < off; i++) {
            assertArrayEquals(new float[] {expected[i], expected[off + m * n + i]}, new float[] {c[i], c[off + m * n + i]});
        }
    }

    @Test
    void leadingDimensionsAddressSubMatrices() {
        int m = 45, n = 530, k = 140, pad = 7;
        for (int combo = 0; combo < 4; combo++) {
            boolean ta = combo >= 2, tb = combo % 2 == 1;
            int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
            float[] a = KernelAssert.uniform(random, (ta ? k : m) * lda + 3);
            float[] b = KernelAssert.uniform(random, (tb ? n : k) * ldb + 3);
            float[] c = KernelAssert.uniform(random, m * ldc + 3);
            float[] expected = c.clone();
            CpuGemm.reference(ta, tb, m, n, k, 0.75f, a, 3, lda, b, 3, ldb, 0.5f, expected, 3, ldc);
            gemm(ta, tb, m, n, k, 0.75f, a, 3, lda, b, 3, ldb, 0.5f, c, 3, ldc);
            // also compares the gaps between rows of C, which must be left as they were
            KernelAssert.assertClose("gemm with leading dimensions transA=" + ta + " transB=" + tb, expected, c);
        }
    }

    @Test
    void concurrentCallsDoNotInterfere() throws Exception {
        KernelAssert.concurrently(4, id -> {
            Random r = new Random(100 + id);
            for (int rep = 0; rep < 3; rep++) {
                checkWith(r, id % 2 == 0, id >= 2, 60 + id * 13, 270 + id, 100 + id * 90, 1f, 0f);
            }
        });
    }

    private void check(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        checkWith(random, ta, tb, m, n, k, alpha, beta);
    }

    private void checkWith(Random random, boolean ta, boolean tb, int m, int n, int k, float alpha,
                                  float beta) {
        float[] a = KernelAssert.uniform(random, m * k), b = KernelAssert.uniform(random, k * n);
        float[] c = KernelAssert.uniform(random, m * n);
        float[] expected = c.clone();
        CpuGemm.reference(ta, tb, m, n, k, alpha, a, 0, b, 0, beta, expected, 0);
        gemm(ta, tb, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
        KernelAssert.assertClose("gemm transA=" + ta + " transB=" + tb + " " + m + "x" + n + "x" + k + " alpha="
                + alpha + " beta=" + beta, expected, c);
    }
}
