package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.ops.MatMul;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Backend.gemm and the ops built on it (matmul, linear): values, transposes, alpha/beta, gradients, errors. */
public abstract class GemmContract extends BackendTestBase {

    @Test
    void matmulOfKnownMatrices() {
        Tensor a = tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = tensor(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, MatMul.matmul(a, b).toFloatArray(), 1e-5f);
    }

    @Test
    void gemmTransposesAndScales() {
        // A stored 3x2 (so op(A) = A^T is 2x3), B stored 2x3 (op(B) = B^T is 3x2), C = 2 A^T B^T + 0.5 C
        Tensor a = tensor(new float[] {1, 4, 2, 5, 3, 6}, 3, 2);
        Tensor b = tensor(new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
        Tensor c = tensor(new float[] {2, 4, 6, 8}, 2, 2);
        backend.gemm(true, true, 2, 2, 3, 2f, a, b, 0.5f, c);
        assertArrayEquals(new float[] {2 * 58 + 1, 2 * 64 + 2, 2 * 139 + 3, 2 * 154 + 4}, c.toFloatArray(), 1e-4f);
    }

    @Test
    void gemmEachTransposeMatchesTheOthers() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2x3
        float[] aT = {1, 4, 2, 5, 3, 6}; // its transpose, 3x2
        float[] b = {7, 8, 9, 10, 11, 12}; // 3x2
        float[] bT = {7, 9, 11, 8, 10, 12}; // its transpose, 2x3
        for (int combo = 0; combo < 4; combo++) {
            boolean ta = combo >= 2, tb = combo % 2 == 1;
            Tensor c = tensor(new float[4], 2, 2);
            backend.gemm(ta, tb, 2, 2, 3, 1f, tensor(ta ? aT : a, ta ? 3 : 2, ta ? 2 : 3),
                    tensor(tb ? bT : b, tb ? 2 : 3, tb ? 3 : 2), 0f, c);
            assertArrayEquals(new float[] {58, 64, 139, 154}, c.toFloatArray(), 1e-5f, "transA=" + ta + " transB=" + tb);
        }
    }

    @Test
    void matmulGradients() {
        GradCheck.check("matmul", in -> MatMul.matmul(in[0], in[1]), param(3, 4), param(4, 5));
    }

    @Test
    void linearGradients() {
        GradCheck.check("linear", in -> MatMul.linear(in[0], in[1], in[2]), param(4, 6), param(3, 6), param(3));
    }

    @Test
    void linearGradientsWithoutBias() {
        GradCheck.check("linear no bias", in -> MatMul.linear(in[0], in[1], null), param(5, 7), param(2, 7));
    }

    @Test
    void matmulRejectsInnerDimensionMismatch() {
        Tensor a = randn(2, 3), b = randn(4, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> MatMul.matmul(a, b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4, 5]"), e.getMessage());
    }

    @Test
    void linearRejectsFeatureMismatch() {
        Tensor x = randn(2, 3), w = randn(4, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> MatMul.linear(x, w, null));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("3 features")
                && e.getMessage().contains("expects 5"), e.getMessage());
    }
}
