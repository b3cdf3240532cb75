package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.backend.PoolSpec;
import org.cnn4j.ops.Pooling;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Max, average and adaptive-average pooling on any backend, with PyTorch's semantics. */
public abstract class PoolContract extends BackendTestBase {

    /** 1, 2, 3, ... in row-major order. */
    private Tensor range(int... dims) {
        float[] v = new float[Math.toIntExact(Shape.of(dims).numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return tensor(v, dims);
    }

    private Tensor pool(Tensor x, PoolSpec spec) {
        return Pooling.pool2d(x, spec);
    }

    @Test
    void maxPoolKnownValues() {
        assertArrayEquals(new float[] {6, 8, 14, 16}, pool(range(1, 1, 4, 4), PoolSpec.max(2, 2, 0)).toFloatArray());
    }

    @Test
    void maxPoolNeverPicksPadding() {
        Tensor x = tensor(new float[] {-5, -6, -7, -8}, 1, 1, 2, 2);
        Tensor y = pool(x, PoolSpec.max(3, 1, 1));
        assertArrayEquals(new float[] {-5, -5, -5, -5}, y.toFloatArray());
    }

    @Test
    void maxPoolBackwardRoutesToTheFirstMaximum() {
        Tensor x = tensor(new float[] {3, 3, 3, 3, 1, 7, 7, 2}, 1, 2, 2, 2).requiresGrad(true);
        pool(x, PoolSpec.max(2, 2, 0)).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, x.grad().toFloatArray());
    }

    @Test
    void maxPoolCeilModeKeepsThePartialWindow() {
        Tensor y = pool(range(1, 1, 5, 5), PoolSpec.max(2, 2, 0).withCeilMode(true));
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        assertArrayEquals(new float[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, y.toFloatArray());
    }

    @Test
    void avgPoolCountIncludePadDividesByTheWholeWindow() {
        PoolSpec spec = PoolSpec.avg(3, 2, 1);
        // window (0,0) covers x[0..1, 0..1] = 1 + 2 + 5 + 6 plus five padding cells
        assertEquals(14f / 9, pool(range(1, 1, 4, 4), spec).toFloatArray()[0], 1e-6f);
        assertEquals(14f / 4, pool(range(1, 1, 4, 4), spec.withCountIncludePad(false)).toFloatArray()[0], 1e-6f);
    }

    @Test
    void avgPoolCeilModeClipsWindowsToThePaddedInput() {
        // 5x5, kernel 2, stride 2, ceil: the last row/column windows hang past the input (no padding to count)
        Tensor y = pool(range(1, 1, 5, 5), PoolSpec.avg(2, 2, 0).withCeilMode(true));
        float[] v = y.toFloatArray();
        assertEquals((5 + 10) / 2f, v[2], 1e-6f);
        assertEquals(25f, v[8], 1e-6f);
        // 6x6, kernel 3, stride 2, pad 1, ceil: window (3,3) spans rows/cols 5..7; row/col 6 is padding, 7 is
        // past the padded input; PyTorch divides by 2*2 when counting padding, by 1 otherwise
        PoolSpec spec = PoolSpec.avg(3, 2, 1).withCeilMode(true);
        Tensor y6 = pool(range(1, 1, 6, 6), spec);
        assertEquals(Shape.of(1, 1, 4, 4), y6.shape());
        assertEquals(36f / 4, y6.toFloatArray()[15], 1e-6f);
        assertEquals(36f, pool(range(1, 1, 6, 6), spec.withCountIncludePad(false)).toFloatArray()[15], 1e-6f);
    }

    @Test
    void adaptiveAvgPoolUsesPyTorchBins() {
        // 5 -> 3 bins: [0,2), [1,4), [3,5)
        Tensor y = Pooling.adaptiveAvgPool2d(range(1, 1, 5, 5), 3, 3);
        float[] v = y.toFloatArray();
        assertEquals((1 + 2 + 6 + 7) / 4f, v[0], 1e-5f);
        assertEquals((2 + 3 + 4 + 7 + 8 + 9) / 6f, v[1], 1e-5f);
        assertEquals(13f, v[4], 1e-5f);
        assertEquals((19 + 20 + 24 + 25) / 4f, v[8], 1e-5f);
    }

    @Test
    void maxPoolGradients() {
        PoolSpec[] specs = {PoolSpec.max(2, 2, 0), PoolSpec.max(3, 2, 1), PoolSpec.max(3, 2, 1).withCeilMode(true),
            PoolSpec.max(2, 2, 0).withCeilMode(true), new PoolSpec(PoolSpec.PoolMode.MAX, 3, 2, 1, 2, 1, 0, false, true)};
        for (PoolSpec spec : specs) {
            GradCheck.check("max pool " + spec, in -> pool(in[0], spec), separated(2, 2, 7, 5));
        }
    }

    @Test
    void avgPoolGradients() {
        PoolSpec[] specs = {PoolSpec.avg(2, 2, 0), PoolSpec.avg(3, 2, 1), PoolSpec.avg(3, 2, 1).withCountIncludePad(false),
            PoolSpec.avg(3, 2, 1).withCeilMode(true), PoolSpec.avg(3, 2, 1).withCeilMode(true).withCountIncludePad(false),
            PoolSpec.avg(2, 2, 0).withCeilMode(true)};
        for (PoolSpec spec : specs) {
            GradCheck.check("avg pool " + spec, in -> pool(in[0], spec), param(2, 2, 6, 7));
        }
    }

    @Test
    void adaptiveAvgPoolGradients() {
        int[][] cases = {{5, 5, 3, 3}, {7, 7, 2, 4}, {6, 5, 1, 1}, {3, 4, 5, 6}};
        for (int[] c : cases) {
            GradCheck.check("adaptive " + c[0] + "x" + c[1] + "->" + c[2] + "x" + c[3],
                    in -> Pooling.adaptiveAvgPool2d(in[0], c[2], c[3]), param(2, 2, c[0], c[1]));
        }
    }

    @Test
    void rejectsKernelLargerThanInput() {
        Tensor x = randn(1, 1, 3, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> pool(x, PoolSpec.max(5, 1, 0)));
        assertTrue(e.getMessage().contains("max_pool2d") && e.getMessage().contains("kernel 5x5")
                && e.getMessage().contains("padded input 3x3"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> pool(x, PoolSpec.avg(6, 2, 1)));
        assertTrue(e2.getMessage().contains("avg_pool2d") && e2.getMessage().contains("kernel 6x6")
                && e2.getMessage().contains("padded input 5x5"), e2.getMessage());
    }

    @Test
    void rejectsPaddingOverHalfTheKernel() {
        var e = assertThrows(IllegalArgumentException.class, () -> PoolSpec.max(2, 2, 2));
        assertTrue(e.getMessage().contains("pool2d") && e.getMessage().contains("2x2")
                && e.getMessage().contains("got 2x2"), e.getMessage());
    }

    @Test
    void rejectsNon4dInputAndEmptyAdaptiveOutput() {
        Tensor x3 = randn(2, 4, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> pool(x3, PoolSpec.max(2, 2, 0)));
        assertTrue(e.getMessage().contains("max_pool2d") && e.getMessage().contains("[2, 4, 4]"), e.getMessage());
        Tensor x = randn(1, 1, 4, 4);
        var e2 = assertThrows(IllegalArgumentException.class, () -> Pooling.adaptiveAvgPool2d(x, 0, 2));
        assertTrue(e2.getMessage().contains("adaptive_avg_pool2d") && e2.getMessage().contains("0x2"), e2.getMessage());
    }
}
