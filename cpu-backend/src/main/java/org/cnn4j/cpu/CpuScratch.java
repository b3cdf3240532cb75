package org.cnn4j.cpu;

/**
 * Per-thread scratch arrays that grow and are reused, so kernels do not allocate per call. Each slot is a
 * separate {@link ThreadLocal}; a kernel that calls another kernel (conv calls gemm) must use different slots.
 */
final class CpuScratch {
    private final ThreadLocal<float[]> slot = ThreadLocal.withInitial(() -> new float[0]);

    /** A buffer of at least {@code size} floats owned by the calling thread; contents are unspecified. */
    float[] get(int size) {
        float[] buf = slot.get();
        if (buf.length < size) {
            buf = new float[size];
            slot.set(buf);
        }
        return buf;
    }
}
