package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.cublasOperation;
import jcuda.jcudnn.cudnnMathType;
import org.cnn4j.backend.PoolSpec;
import org.junit.jupiter.api.Test;

/** The host-side parts of the CUDA backend that need no GPU: argument mapping and geometry. */
class HostSideLogicTest {

    /** Reference column-major SGEMM with cuBLAS's argument convention. */
    static void colMajorSgemm(int opA, int opB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
                              int ldb, float beta, float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = opA == cublasOperation.CUBLAS_OP_N ? a[i + p * lda] : a[p + i * lda];
                    float bv = opB == cublasOperation.CUBLAS_OP_N ? b[p + j * ldb] : b[j + p * ldb];
                    s += av * bv;
                }
                c[i + j * ldc] = (float) (alpha * s + beta * c[i + j * ldc]);
            }
        }
    }

    @Test
    void rowMajorGemmMapsToSwappedColumnMajorCall() {
        Random r = new Random(1);
        int m = 3;
        int n = 5;
        int k = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                float[] c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
                for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
                for (int i = 0; i < c.length; i++) c[i] = r.nextFloat();
                float[] expected = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        }
                        expected[i * n + j] = (float) (0.5 * s + 2 * c[i * n + j]);
                    }
                }
                int[] g = CudaBackend.cublasArgs(ta, tb, m, n, k);
                float[] got = c.clone();
                colMajorSgemm(g[0], g[1], g[2], g[3], g[4], 0.5f, b, g[5], a, g[6], 2f, got, g[7]);
                assertArrayEquals(expected, got, 1e-5f, "transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void broadcastStridesZeroTheBroadcastAxes() {
        assertArrayEquals(new int[] {0, 1, 0, 0}, Geometry.broadcastStrides(new int[] {3, 1, 1}, new int[] {2, 3, 4, 5}));
        assertArrayEquals(new int[] {60, 20, 5, 1}, Geometry.broadcastStrides(new int[] {2, 3, 4, 5},
                new int[] {2, 3, 4, 5}));
        assertArrayEquals(new int[] {0, 1}, Geometry.broadcastStrides(new int[] {1, 4}, new int[] {3, 4}));
        int[] g = Geometry.binary("ADD", new int[] {2, 1, 4}, new int[] {3, 1}, new int[] {2, 3, 4});
        assertEquals(3, g[0]);
        assertArrayEquals(new int[] {4, 0, 1}, java.util.Arrays.copyOfRange(g, 9, 12));
        assertArrayEquals(new int[] {0, 1, 0}, java.util.Arrays.copyOfRange(g, 17, 20));
        assertThrows(IllegalArgumentException.class, () -> Geometry.binary("ADD", new int[9], new int[9], new int[9]));
    }

    /** Runs binary_bcast's index arithmetic on the host to check the geometry end to end. */
    @Test
    void broadcastGeometryAddressesTheRightElements() {
        int[] aDims = {2, 1, 4};
        int[] bDims = {3, 1};
        int[] out = {2, 3, 4};
        int[] g = Geometry.binary("ADD", aDims, bDims, out);
        for (int i = 0; i < 24; i++) {
            long rem = i;
            long ai = 0;
            long bi = 0;
            for (int d = g[0] - 1; d >= 0; d--) {
                long c = rem % g[1 + d];
                rem /= g[1 + d];
                ai += c * g[9 + d];
                bi += c * g[17 + d];
            }
            int n0 = i / 12;
            int n1 = (i / 4) % 3;
            int n2 = i % 4;
            assertEquals(n0 * 4 + n2, ai, "a index of " + i);
            assertEquals(n1, bi, "b index of " + i);
        }
    }

    @Test
    void reductionGeometryMarksSummedAxes() {
        int[] g = Geometry.reduction(new int[] {8, 16, 5, 5}, new int[] {16, 1, 1});
        assertArrayEquals(new int[] {0, 1, 0, 0}, java.util.Arrays.copyOfRange(g, 9, 13));
        assertThrows(IllegalArgumentException.class, () -> Geometry.reduction(new int[] {4, 3}, new int[] {2, 3}));
    }

    @Test
    void poolUsesCudnnOnlyWhereItsWindowsAreExact() {
        assertTrue(CudnnPool.cudnnExact(PoolSpec.max(3, 2, 1), 56, 56));
        assertTrue(CudnnPool.cudnnExact(PoolSpec.max(2, 2, 0).withCeilMode(true), 32, 32), "ceil adds nothing");
        assertFalse(CudnnPool.cudnnExact(PoolSpec.max(3, 2, 0).withCeilMode(true), 112, 112));
        assertArrayEquals(new int[] {2, 3, 7, 9, 4, 5, 3, 3, 2, 2, 1, 1, 0},
                CudnnPool.geometry(new int[] {2, 3, 7, 9}, new int[] {2, 3, 4, 5}, PoolSpec.avg(3, 2, 1)
                        .withCountIncludePad(false)));
    }

    @Test
    void kernelArgumentsAreCheckedAgainstTheSignature() {
        CUdeviceptr p = new CUdeviceptr();
        CudaKernels.pack(Kernel.ACTIVATION_FWD, 4, p, p, 0f, 10L);
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> CudaKernels.pack(Kernel.ACTIVATION_FWD, 4, p, p, 0f, 10));
        assertTrue(wrongType.getMessage().contains("activation_fwd: argument 4 must be Long"),
                wrongType.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaKernels.pack(Kernel.ACTIVATION_FWD, 4, p, p, 0f));
        assertThrows(IllegalArgumentException.class,
                () -> CudaKernels.pack(Kernel.MAX_POOL_FWD, p, p, new int[12]));
    }

    /** JCudnn 12.6.0 leaves mathType at 0 for forward and backward-data results: never run with that value. */
    @Test
    void convolutionMathTypeIgnoresUnreportedPerfValues() {
        int unreported = ConvAlgorithmSearch.UNREPORTED;
        assertEquals(cudnnMathType.CUDNN_FMA_MATH, ConvAlgorithmSearch.chosenMath(false, unreported));
        assertEquals(cudnnMathType.CUDNN_FMA_MATH,
                ConvAlgorithmSearch.chosenMath(false, cudnnMathType.CUDNN_TENSOR_OP_MATH), "tf32 off forces FMA");
        assertEquals(cudnnMathType.CUDNN_DEFAULT_MATH, ConvAlgorithmSearch.chosenMath(true, unreported),
                "unreported: the requested");
        assertEquals(cudnnMathType.CUDNN_TENSOR_OP_MATH,
                ConvAlgorithmSearch.chosenMath(true, cudnnMathType.CUDNN_TENSOR_OP_MATH), "reported: the algorithm's");
    }

    @Test
    void hostCopiesOutsideTheArrayAreRefusedWithTheSizes() {
        CudaBackend.checkHostRange("write", "[2, 3]", 6, 6, 0);
        CudaBackend.checkHostRange("write", "[2, 3]", 6, 10, 4);
        CudaBackend.checkHostRange("read", "[0]", 0, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaBackend.checkHostRange("write", "[2, 3]", 6, 10, 5));
        assertEquals("write: tensor [2, 3] has 6 elements but the host array of length 10 holds 5 from offset 5;"
                + " expected 0 <= offset and offset + 6 <= 10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaBackend.checkHostRange("read", "[4]", 4, 8, -1));
        assertThrows(IllegalArgumentException.class, () -> CudaBackend.checkHostRange("read", "[4]", 4, 8, 9));
        // offset + numel overflowing int must not wrap around into a "valid" range
        assertThrows(IllegalArgumentException.class,
                () -> CudaBackend.checkHostRange("read", "[big]", Integer.MAX_VALUE, 8, 4));
        assertThrows(IllegalArgumentException.class,
                () -> CudaBackend.checkHostRange("read", "[huge]", 1L << 40, Integer.MAX_VALUE, 0));
    }

    /** cuDNN 8/9 accept any eps >= 0 (CUDNN_BN_MIN_EPSILON = 0): pass the float as is, like the CPU backend. */
    @Test
    void batchNormEpsilonIsPassedUnchanged() {
        assertEquals((double) 1e-5f, CudnnNorm.cudnnEpsilon("bn", 1e-5f));
        assertEquals((double) 1e-6f, CudnnNorm.cudnnEpsilon("bn", 1e-6f));
        assertEquals(0.0, CudnnNorm.cudnnEpsilon("bn", 0f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudnnNorm.cudnnEpsilon("batchNormForwardTraining", -1e-3f));
        assertTrue(e.getMessage().startsWith("batchNormForwardTraining: eps must be >= 0"), e.getMessage());
    }
}
