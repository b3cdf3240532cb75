package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The caching allocator on a real device: no driver allocation after warm-up, a clear out-of-memory error. */
@RequiresCuda
class CudaMemoryGpuTest {

    @Test
    void repeatedStepsReuseCachedBlocks() {
        CudaBackend gpu = (CudaBackend) CudaTestSupport.backend();
        long live = gpu.liveBytes();
        long allocationsAfterWarmUp = -1;
        for (int step = 0; step < 5; step++) {
            try (MemoryScope s = MemoryScope.open()) {
                Tensor x = Tensor.full(gpu, Shape.of(8, 3, 32, 32), 0.5f);
                Tensor w = Tensor.full(gpu, Shape.of(16, 3, 3, 3), 0.1f);
                Tensor y = Tensor.zeros(gpu, Shape.of(8, 16, 32, 32));
                gpu.conv2dForward(x, w, y, ConvSpec.of(1, 1));
                assertEquals(0.5f * 0.1f * 27, y.toFloatArray()[16 * 32 * 32 + 33], 1e-4f);
            }
            if (step == 0) {
                allocationsAfterWarmUp = gpu.deviceAllocations();
            }
        }
        assertEquals(allocationsAfterWarmUp, gpu.deviceAllocations(), "no cuMemAlloc after the first step");
        assertEquals(live, gpu.liveBytes());
    }

    @Test
    void outOfMemoryNamesRequestedAndFreeBytes() {
        CudaBackend gpu = (CudaBackend) CudaTestSupport.backend();
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                () -> gpu.allocate(org.cnn4j.tensor.DType.FLOAT32, Long.MAX_VALUE / 8));
        assertTrue(e.getMessage().contains("requested") && e.getMessage().contains("device free"), e.getMessage());
    }
}
