package org.cnn4j.cpu;

/** Row-major single-precision GEMM. */
final class CpuGemm {
    private CpuGemm() {
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C}; op(A) is m x k, op(B) is k x n, all row-major. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     float[] b, int bOff, float beta, float[] c, int cOff) {
        reference(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
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
