package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Vector API GEMM path. The build runs tests with {@code --add-modules jdk.incubator.vector}, so the vector
 * path must be enabled here; without that it would silently go untested.
 */
class CpuGemmVectorKernelTest extends GemmKernelTests {
    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Test
    void vectorPathIsEnabledUnderTheTestConfiguration() {
        assertTrue(VectorSupport.ENABLED, "tests must run with --add-modules " + VectorSupport.MODULE
                + " (see the surefire argLine) so the vector kernels are covered; got: " + VectorSupport.describe());
    }

    @Test
    void propertyFalseForcesScalarAndMissingModuleFallsBack() {
        assertFalse(VectorSupport.decide("false", true));
        assertFalse(VectorSupport.decide(" FALSE ", true));
        assertFalse(VectorSupport.decide(null, false));
        assertFalse(VectorSupport.decide("true", false));
        assertTrue(VectorSupport.decide(null, true));
        assertTrue(VectorSupport.decide("true", true));
    }
}
