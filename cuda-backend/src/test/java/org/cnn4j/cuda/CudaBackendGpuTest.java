package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** What issue 9's first-contact fixes do on a real device: memory figures, binding, workspace limit, cleanup. */
@RequiresCuda
class CudaBackendGpuTest {
    private static final long MIB = 1 << 20;

    @Test
    void cachedReservedAndDriverFiguresAddUp() {
        CudaBackend gpu = (CudaBackend) CudaTestSupport.backend();
        gpu.emptyCache();
        Map<String, Long> before = gpu.memoryStats();
        assertEquals(0, before.get("cached_bytes"));
        assertEquals(0, before.get("workspace_bytes"));
        Tensor t = Tensor.zeros(gpu, Shape.of(16, 1024, 1024));  // 64 MiB, a size class of its own
        t.close();
        assertEquals(before.get("cached_bytes") + 64 * MIB, gpu.cachedBytes(), "the freed block is cached");
        assertEquals(before.get("reserved_bytes") + 64 * MIB, gpu.reservedBytes());
        long usedCached = gpu.deviceUsedBytes();
        gpu.emptyCache();
        assertEquals(0, gpu.cachedBytes());
        assertEquals(before.get("reserved_bytes"), gpu.reservedBytes());
        // cuMemFree of a 64 MiB block (a multiple of the driver's 2 MiB pages) returns all of it; only another
        // process allocating at the same moment could hide that
        assertTrue(usedCached - gpu.deviceUsedBytes() >= 64 * MIB,
                "driver used bytes " + usedCached + " -> " + gpu.deviceUsedBytes());
    }

    @Test
    void entryPointsBindTheContextOnAThreadThatNeverUsedTheDevice() throws InterruptedException {
        CudaBackend gpu = (CudaBackend) CudaTestSupport.backend();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread fresh = new Thread(() -> {
            try {
                result.set(gpu.description() + " | used " + gpu.deviceUsedBytes());
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        fresh.start();
        fresh.join();
        assertTrue(result.get() instanceof String, String.valueOf(result.get()));
        String line = (String) result.get();
        assertTrue(line.matches("(?s).*, [1-9][0-9]* MiB, driver CUDA .* \\| used [1-9][0-9]*"), line);
    }

    @Test
    void aZeroWorkspaceLimitStillConvolvesInEveryDirectionWithoutAWorkspace() {
        Backend cpu = new CpuBackend();
        try (CudaBackend limited = new CudaBackend(0, "0")) {
            Random r = new Random(3);
            // same shapes and tolerance rule as CudaCpuParityTest's convolutions (fp32: 1e-4; TF32: 2e-2)
            float tol = Boolean.parseBoolean(System.getProperty("cnn4j.cuda.tf32", "true")) ? 2e-2f : 1e-4f;
            ConvSpec spec = ConvSpec.of(1, 1);
            int[][] shapes = {{2, 4, 9, 11}, {6, 4, 3, 3}, {2, 6, 9, 11}};
            float[][] v = new float[3][];
            for (int i = 0; i < 3; i++) {
                v[i] = new float[Math.toIntExact(Shape.of(shapes[i]).numel())];
                for (int j = 0; j < v[i].length; j++) {
                    v[i][j] = (float) r.nextGaussian();
                }
            }
            for (int direction = 0; direction < 3; direction++) {
                float[] want = run(cpu, direction, shapes, v, spec);
                float[] got = run(limited, direction, shapes, v, spec);
                for (int j = 0; j < want.length; j++) {
                    assertEquals(want[j], got[j], tol + tol * Math.abs(want[j]), "direction " + direction + " @" + j);
                }
            }
            assertEquals(0, limited.workspaceBytes(), "only algorithms without a workspace ran");
            assertEquals(0, limited.liveBytes());
        }
    }

    /** direction 0: x,w -> y; 1: y,w -> x; 2: x,y -> w. Returns the output. */
    private static float[] run(Backend b, int direction, int[][] shapes, float[][] v, ConvSpec spec) {
        try (Tensor x = Tensor.of(b, v[0], Shape.of(shapes[0])); Tensor w = Tensor.of(b, v[1], Shape.of(shapes[1]));
             Tensor y = Tensor.of(b, v[2], Shape.of(shapes[2]))) {
            switch (direction) {
                case 0 -> b.conv2dForward(x, w, y, spec);
                case 1 -> b.conv2dBackwardData(y, w, x, spec);
                default -> b.conv2dBackwardFilter(x, y, w, spec);
            }
            return (direction == 0 ? y : direction == 1 ? x : w).toFloatArray();
        }
    }

    @Test
    void aConstructorThatFailsHalfWayLeavesTheOtherBackendWorking() {
        CudaBackend shared = (CudaBackend) CudaTestSupport.backend();
        for (int i = 0; i < 3; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CudaBackend(0, "lots"));
            assertTrue(e.getMessage().startsWith("-Dcnn4j.cuda.workspaceLimit=lots"), e.getMessage());
        }
        // the failed constructors released their primary-context retain once each, not the shared backend's
        try (Tensor a = Tensor.full(shared, Shape.of(1, 3), 2f); Tensor b = Tensor.full(shared, Shape.of(1, 3), 5f);
             Tensor c = Tensor.zeros(shared, Shape.of(1, 1))) {
            shared.gemm(false, true, 1, 1, 3, 1f, a, b, 0f, c);
            assertEquals(30f, c.toFloatArray()[0]);
        }
    }
}
