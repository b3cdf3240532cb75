package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.cnn4j.optim.Adam;
import org.cnn4j.optim.GradClip;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Optimizer hyper-parameters at the edges of their ranges, and gradient clipping's exact scale. */
class OptimizerOptionsTest {
    private final CpuBackend cpu = new CpuBackend();

    @Test
    void zeroIsAllowedWhereTheRangeIsClosed() {
        assertEquals(0, new SGD.Options(0, 0, 0, 0, false).lr());
        assertEquals(0, new Adam.Options(0, 0, 0, 0, 0).beta1());
        try (MemoryScope scope = MemoryScope.open()) {
            ParamGroup g = ParamGroup.of(List.of(Tensor.zeros(cpu, Shape.of(1)).requiresGrad(true)));
            g.setLr(0);
            assertEquals(0, g.lr());
        }
    }

    @Test
    void openEndsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Adam.Options(0.1, 1, 0.9, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam.Options(0.1, 0.9, 1, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD.Options(0.1, 0, 0, 0, true));
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor p = Tensor.zeros(cpu, Shape.of(1)).requiresGrad(true);
            assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(p), 0));
        }
    }

    @Test
    void clippingScalesByMaxNormOverNormPlusEpsilon() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = Tensor.zeros(cpu, Shape.of(2)).requiresGrad(true);
            a.setGrad(Tensor.of(cpu, new float[] {3, 4}, Shape.of(2)).persist());
            assertEquals(5.0, GradClip.clipGradNorm(List.of(a), 1), 1e-6);
            float coef = (float) (1 / (5 + 1e-6)); // PyTorch's clip_grad_norm_: max_norm / (total_norm + 1e-6)
            assertArrayEquals(new float[] {3 * coef, 4 * coef}, a.grad().toFloatArray());
            a.zeroGrad();
        }
    }
}
