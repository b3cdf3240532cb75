package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.cpu.CpuBackend;
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

    /**
     * A full reduction of 2^22 elements runs 1024 blocks, then one; a per-channel one many blocks per channel.
     * The fixed summation order must give the same bits on every run, and the sum stays within the bound
     * of KernelEmulationTest (chain of 16 + 8 + 4 + 8 additions, plus the CPU's rounding, times u sum|x|).
     */
    @Test
    void largeReductionsUseManyBlocksAndAreReproducible() {
        Backend gpu = CudaTestSupport.backend();
        Backend cpu = new CpuBackend();
        int[][][] cases = {{{1 << 22}, {1}}, {{32, 16, 56, 56}, {16, 1, 1}}};
        for (int[][] c : cases) {
            Shape src = Shape.of(c[0]);
            Shape dst = Shape.of(c[1]);
            float[] x = new float[Math.toIntExact(src.numel())];
            float[] abs = new float[x.length];
            Random random = new Random(3);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
                abs[i] = Math.abs(x[i]);
            }
            try (MemoryScope s = MemoryScope.open()) {
                Tensor want = Tensor.zeros(cpu, dst);
                cpu.reduceSumTo(Tensor.of(cpu, x, src), want);
                Tensor absSum = Tensor.zeros(cpu, dst);
                cpu.reduceSumTo(Tensor.of(cpu, abs, src), absSum);
                Tensor gx = Tensor.of(gpu, x, src);
                Tensor first = Tensor.zeros(gpu, dst);
                Tensor second = Tensor.zeros(gpu, dst);
                gpu.reduceSumTo(gx, first);
                gpu.reduceSumTo(gx, second);
                float[] got = first.toFloatArray();
                assertArrayEquals(got, second.toFloatArray(), "two runs of the same reduction");
                float[] w = want.toFloatArray();
                float[] bound = absSum.toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], got[i], 37 * 0x1p-24 * bound[i], "reduceSumTo " + src + " -> " + dst + " [" + i + "]");
                }
            }
        }
    }

    @Test
    void reducingAnEmptyTensorGivesZeros() {
        Backend gpu = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open()) {
            Tensor dst = Tensor.full(gpu, Shape.of(3), 7f);
            // the control: without it a device that never writes memory would pass (its reads give zeros)
            assertArrayEquals(new float[] {7, 7, 7}, dst.toFloatArray(), "the destination before the reduction");
            gpu.reduceSumTo(Tensor.zeros(gpu, Shape.of(0, 3)), dst);
            assertArrayEquals(new float[3], dst.toFloatArray());
        }
    }
}
