package org.cnn4j.cuda;

/**
 * Raw device memory calls behind {@link CachingAllocator}, so the caching logic is testable without a GPU.
 *
 * @param <P> the device pointer type
 */
interface DeviceMemory<P> {
    /** Allocates {@code bytes}; returns null when the device is out of memory (other failures throw). */
    P malloc(long bytes);

    void free(P pointer);

    /** Bytes the device reports free. */
    long freeBytes();

    long totalBytes();

    /** Waits for queued work, so freed blocks are no longer in use by kernels. */
    void synchronize();
}
