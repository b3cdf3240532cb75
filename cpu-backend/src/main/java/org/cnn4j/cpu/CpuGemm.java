package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuGemm {
    private CpuGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        throw new UnsupportedOperationException("CpuGemm not implemented yet");
    }
}
