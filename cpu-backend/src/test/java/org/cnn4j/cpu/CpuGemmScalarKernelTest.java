package org.cnn4j.cpu;

/** The scalar GEMM path (used without the Vector API module, or with -Dcnn4j.cpu.vector=false). */
class CpuGemmScalarKernelTest extends GemmKernelTests {
    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        CpuGemm.scalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
