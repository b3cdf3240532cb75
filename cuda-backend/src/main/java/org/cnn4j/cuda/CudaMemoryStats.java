package org.cnn4j.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.cnn4j.backend.Backend;

/**
 * A snapshot of device memory as the CUDA backend and the driver see it, for {@code cnn bench --memory-steps}:
 * live (tensors), cached (freed blocks kept by the allocator), reserved (live by capacity plus cached), how often the
 * driver was asked for memory, and the driver's used and total bytes for the whole device (every process).
 */
public record CudaMemoryStats(long liveBytes, long cachedBytes, long reservedBytes, long deviceAllocations,
                              long driverUsedBytes, long driverTotalBytes) {

    /** The snapshot for {@code backend}, or null when it is not the CUDA backend. Call after synchronize(). */
    public static CudaMemoryStats of(Backend backend) {
        if (!(backend instanceof CudaBackend cuda)) {
            return null;
        }
        long[] free = new long[1];
        long[] total = new long[1];
        // the backend made its context current on this thread; -1 when the driver does not answer
        boolean ok = JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS;
        return new CudaMemoryStats(cuda.liveBytes(), cuda.cachedBytes(), cuda.reservedBytes(),
                cuda.deviceAllocations(), ok ? total[0] - free[0] : -1, ok ? total[0] : -1);
    }

    /** The values under JSON-style names with {@code suffix}, e.g. "cached_bytes_after". */
    public Map<String, Long> asMap(String suffix) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("cached_bytes" + suffix, cachedBytes);
        m.put("reserved_bytes" + suffix, reservedBytes);
        m.put("device_allocations" + suffix, deviceAllocations);
        m.put("driver_used_bytes" + suffix, driverUsedBytes);
        return m;
    }
}
