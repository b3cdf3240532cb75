package org.cnn4j.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A size-class caching allocator: freed blocks go to a free list per size class and are handed out again, so
 * after the first training step no device allocation happens (one stream makes reuse safe: work queued on a
 * freed block runs before work queued by its next owner). Classes are multiples of 512 bytes up to 1 MiB, then
 * quarter steps of each power of two (at most 25% slack). It also owns the one growing scratch buffer (the cuDNN
 * workspace), so all device memory the backend holds is counted in one place: blocks in use + cached blocks
 * + scratch = reserved. On out-of-memory the cache and the scratch buffer are released and the allocation retried once;
 * then a {@link CudaOutOfMemoryException} gives the requested and free bytes. Thread-safe (tensors may be freed
 * from other threads).
 *
 * @param <P> the device pointer type
 */
final class CachingAllocator<P> {
    static final long SMALL_LIMIT = 1L << 20;
    static final long MIN_BLOCK = 512;

    /** A device block of {@code capacity} bytes serving a request of {@code bytes}. */
    static final class Block<P> {
        final P pointer;
        final long capacity;
        final long bytes;

        Block(P pointer, long capacity, long bytes) {
            this.pointer = pointer;
            this.capacity = capacity;
            this.bytes = bytes;
        }
    }

    private final DeviceMemory<P> memory;
    private final Map<Long, ArrayDeque<P>> freeLists = new HashMap<>();
    private long liveBytes;
    private long cachedBytes;
    private long reservedBytes;
    private long deviceAllocations;
    private P scratch;
    private long scratchBytes;

    CachingAllocator(DeviceMemory<P> memory) {
        this.memory = memory;
    }

    /** The size class a request of {@code bytes} is served from. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BLOCK) {
            return MIN_BLOCK;
        }
        if (bytes <= SMALL_LIMIT) {
            return roundUp(bytes, MIN_BLOCK);
        }
        int e = 63 - Long.numberOfLeadingZeros(bytes - 1);  // 2^e < bytes <= 2^(e+1)
        return roundUp(bytes, 1L << (e - 2));
    }

    private static long roundUp(long v, long m) {
        return (v + m - 1) / m * m;
    }

    synchronized Block<P> allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cuda allocate: negative size " + bytes);
        }
        long size = sizeClass(bytes);
        ArrayDeque<P> list = freeLists.get(size);
        P p = list == null ? null : list.pollFirst();
        if (p != null) {
            cachedBytes -= size;
        } else {
            p = memory.malloc(size);
            if (p == null) {
                long released = releaseForRetry();
                p = memory.malloc(size);
                if (p == null) {
                    throw new CudaOutOfMemoryException("cuda: out of memory allocating " + mib(bytes)
                            + " (requested " + bytes + " bytes, block " + size + " bytes); device free "
                            + mib(memory.freeBytes()) + " of " + mib(memory.totalBytes()) + "; live tensors "
                            + mib(liveBytes) + "; released " + mib(released) + " of cached blocks and workspace"
                            + " and retried. Reduce the batch size or free tensors (close them / use MemoryScope).");
                }
            }
            deviceAllocations++;
            reservedBytes += size;
        }
        liveBytes += bytes;
        return new Block<>(p, size, bytes);
    }

    synchronized void release(Block<P> block) {
        liveBytes -= block.bytes;
        cachedBytes += block.capacity;
        freeLists.computeIfAbsent(block.capacity, k -> new ArrayDeque<>()).addFirst(block.pointer);
    }

    /** Frees the cache and the scratch buffer after queued work is done; returns the bytes released. */
    private long releaseForRetry() {
        memory.synchronize();
        long released = cachedBytes + scratchBytes;
        emptyCache();
        releaseScratch();
        return released;
    }

    /**
     * The scratch buffer, grown to at least {@code bytes} (never shrunk, so a training step reuses it); null
     * while no byte was ever asked for. Growing waits for queued work on the old buffer. When the device cannot
     * provide it even after the cache is released, throws {@link CudaOutOfMemoryException} (the caller may then
     * try something that needs less).
     */
    synchronized P scratch(long bytes) {
        if (bytes <= scratchBytes) {
            return scratch;
        }
        releaseScratch();
        P p = memory.malloc(bytes);
        if (p == null) {
            long released = releaseForRetry();
            p = memory.malloc(bytes);
            if (p == null) {
                throw new CudaOutOfMemoryException("cuda: out of memory allocating a workspace of " + mib(bytes)
                        + " (" + bytes + " bytes); device free " + mib(memory.freeBytes()) + " of "
                        + mib(memory.totalBytes()) + "; live tensors " + mib(liveBytes) + "; released "
                        + mib(released) + " of cached blocks and retried");
            }
        }
        deviceAllocations++;
        reservedBytes += bytes;
        scratch = p;
        scratchBytes = bytes;
        return p;
    }

    /** Frees the scratch buffer (after queued work that may use it); the next {@link #scratch} allocates anew. */
    synchronized void releaseScratch() {
        if (scratch != null) {
            memory.synchronize();
            memory.free(scratch);
            reservedBytes -= scratchBytes;
            scratch = null;
            scratchBytes = 0;
        }
    }

    synchronized long scratchBytes() {
        return scratchBytes;
    }

    /** Returns every cached block to the device. The caller makes sure no queued work uses them. */
    synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<P>> e : freeLists.entrySet()) {
            for (P p : e.getValue()) {
                memory.free(p);
                reservedBytes -= e.getKey();
            }
        }
        freeLists.clear();
        cachedBytes = 0;
    }

    /** Bytes requested by blocks in use (tensor bytes, not size-class capacity). */
    synchronized long liveBytes() {
        return liveBytes;
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Bytes held from the device: blocks in use (by capacity), cached blocks and the scratch buffer. */
    synchronized long reservedBytes() {
        return reservedBytes;
    }

    /** How many times the device allocator has been called. */
    synchronized long deviceAllocations() {
        return deviceAllocations;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
