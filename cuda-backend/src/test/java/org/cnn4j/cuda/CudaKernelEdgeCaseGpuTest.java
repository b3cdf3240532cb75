package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Custom-kernel edge cases the random-input parity test does not reach. */
@RequiresCuda
class CudaKernelEdgeCaseGpuTest {

    @Test
    void signKeepsSignedZeroAndNaNLikeMathSignum() {
        Backend gpu = CudaTestSupport.backend();
        float[] in = {-0f, 0f, Float.NaN, -3f, 2f};
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensor.of(gpu, in, Shape.of(in.length));
            Tensor y = Tensor.zeros(gpu, Shape.of(in.length));
            gpu.unary(UnaryOp.SIGN, x, y);
            float[] got = y.toFloatArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(Float.floatToIntBits(Math.signum(in[i])), Float.floatToIntBits(got[i]), "sign(" + in[i] + ")");
            }
        }
    }

    /** The CPU backend throws; the GPU must not read out of bounds (that would poison the context). */
    @Test
    void nllWithAnInvalidLabelGivesNaNAndLeavesTheContextUsable() {
        Backend gpu = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open()) {
            Tensor logp = Tensor.full(gpu, Shape.of(3, 4), -1f);
            Tensor labels = Tensor.of(gpu, new float[] {1f, 4f, -1f}, Shape.of(3));
            Tensor losses = Tensor.zeros(gpu, Shape.of(3));
            gpu.nllLossForward(logp, labels, 0.1f, losses);
            float[] l = losses.toFloatArray();
            assertEquals(1f, l[0], 1e-6f);
            assertTrue(Float.isNaN(l[1]) && Float.isNaN(l[2]), java.util.Arrays.toString(l));
            Tensor grad = Tensor.zeros(gpu, Shape.of(3, 4));
            gpu.nllLossBackward(labels, 0f, Tensor.full(gpu, Shape.of(3), 1f), grad);
            float[] g = grad.toFloatArray();
            assertEquals(-1f, g[1]);
            assertTrue(Float.isNaN(g[4]) && Float.isNaN(g[11]), java.util.Arrays.toString(g));
        }
    }
}
