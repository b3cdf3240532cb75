package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The pre-packed-A entry point of {@link VectorGemm} (used by Winograd for its 36 filter matrices) against the
 * plain triple loop, on sizes with partial register blocks, several KC-deep blocks and several NC column blocks;
 * and {@link VectorGemm#packedAIndex} against what {@link VectorGemm#packWholeA} writes.
 */
class VectorGemmPackedATest {
    private final Random random = new Random(11);

    /**
     * m, n, k: partial MR panels (m % 4 != 0), depth across KC=128 blocks, columns across NR/NG/NC blocks; n = 300
     * ends in a partial column group after full ones (NG is 128 or 256 columns, by the vector width).
     */
    private static final int[][] SIZES = {
        {1, 1, 1}, {3, 5, 7}, {5, 63, 3}, {97, 65, 129}, {130, 1100, 257}, {16, 86, 256}, {33, 1025, 600},
        {37, 300, 70},
    };

    @Test
    void matchesReferenceForBothLayoutsOfBAndBeta() {
        for (int[] s : SIZES) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f, -0.5f}) {
                        check(m, n, k, transA, transB, 1.5f, beta);
                    }
                }
            }
        }
    }

    @Test
    void zeroDepthScalesC() {
        float[] c = {1f, 2f, 3f, 4f, 5f, 6f, 7f};
        VectorGemm.gemmPackedA(2, 3, 0, new float[0], 0, false, new float[0], 0, 3, 0.5f, c, 1, 3);
        assertArrayEquals(new float[] {1f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f}, c); // C = beta C, c[0] is outside
    }

    @Test
    void packedIndexAgreesWithPacking() {
        for (int[] s : SIZES) {
            int m = s[0], k = s[2];
            float[] a = new float[m * k];
            for (int i = 0; i < a.length; i++) {
                a[i] = i + 1;
            }
            float[] pa = new float[VectorGemm.packedASize(m, k) + 3];
            VectorGemm.packWholeA(false, a, 0, k, 1f, m, k, pa, 3);
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    assertEquals(a[i * k + p], pa[3 + VectorGemm.packedAIndex(i, p, m, k)],
                            "A[" + i + "," + p + "] of " + m + "x" + k);
                }
            }
        }
    }

    private void check(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
        float[] a = KernelAssert.uniform(random, m * k), b = KernelAssert.uniform(random, k * n);
        float[] c = KernelAssert.uniform(random, m * n);
        float[] expected = c.clone();
        CpuGemm.reference(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, expected, 0);
        int off = 5;
        float[] pa = new float[off + VectorGemm.packedASize(m, k)];
        VectorGemm.packWholeA(transA, a, 0, transA ? m : k, alpha, m, k, pa, off);
        VectorGemm.gemmPackedA(m, n, k, pa, off, transB, b, 0, transB ? k : n, beta, c, 0, n);
        KernelAssert.assertClose("packed-A gemm " + m + "x" + n + "x" + k + " transA=" + transA + " transB="
                + transB + " beta=" + beta, expected, c);
    }
}
