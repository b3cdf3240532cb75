package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.GradClip;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Optimizer hyper-parameters at the edges of their ranges, what an optimizer reports about itself, restoring state
 * at the edges of the metadata's ranges, and gradient clipping's exact scale.
 */
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

    @Test
    void namesOptionsAndRatesReadBack() {
        try (MemoryScope scope = MemoryScope.open()) {
            List<Tensor> params = List.of(Tensor.zeros(cpu, Shape.of(1)).requiresGrad(true));
            SGD.Options sgdOptions = new SGD.Options(0.5, 0.9, 0, 0, false);
            Adam.Options adamOptions = new Adam.Options(0.25, 0.9, 0.999, 1e-8, 0);
            try (SGD sgd = new SGD(params, sgdOptions); Adam adam = new Adam(params, adamOptions);
                 AdamW adamW = new AdamW(params, 0.125)) {
                assertEquals(sgdOptions, sgd.options());
                assertEquals(adamOptions, adam.options());
                assertEquals(0.5, sgd.getLr());
                assertEquals(0.125, adamW.getLr(0));
                assertEquals(List.of("SGD", "Adam", "AdamW"), List.of(sgd.name(), adam.name(), adamW.name()));
            }
        }
    }

    @Test
    void loadingStateAcceptsRateAndStepZeroAndReplacesTheOldBuffers() {
        // outside any MemoryScope, so a buffer left behind stays live and shows in liveBytes
        Tensor p = Tensor.of(cpu, new float[] {1f, 2f}, Shape.of(2)).requiresGrad(true);
        try (SGD trained = new SGD(List.of(p), 0.1, 0.9); SGD fresh = new SGD(List.of(p), 0.1, 0.9)) {
            p.setGrad(Tensor.of(cpu, new float[] {1f, 1f}, Shape.of(2)));
            trained.step(); // makes a momentum buffer of 2 floats
            assertEquals(1, trained.stateDict().size());
            long live = cpu.liveBytes();
            Map<String, String> metadata = new HashMap<>(fresh.stateMetadata());
            metadata.put("group.0.lr", "0.0");
            metadata.put("state.0.step", "0");
            trained.loadStateDict(fresh.stateDict(), metadata); // fresh has no buffers yet
            assertEquals(0.0, trained.getLr());
            assertTrue(trained.stateDict().isEmpty(), "the momentum buffer from before the load is gone");
            assertEquals(live - 2L * Float.BYTES, cpu.liveBytes(), "and its memory is freed");
            // a state key naming the parameter one past the last is refused by name, not by an index error
            Map<String, Tensor> pastTheEnd = Map.of("state.1.momentum_buffer", p);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trained.loadStateDict(pastTheEnd, metadata));
            assertTrue(e.getMessage().contains("names parameter 1 but there are 1"), e.getMessage());
        } finally {
            p.zeroGrad();
            p.close();
        }
    }

    @Test
    void clippingParametersWithoutGradientsGivesNormZero() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor p = Tensor.zeros(cpu, Shape.of(2)).requiresGrad(true);
            assertEquals(0.0, GradClip.clipGradNorm(List.of(p), 1));
        }
    }
}
