package org.cnn4j.cpu;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles the float arrays of released CPU storages, keyed by exact length. A training step allocates and
 * releases the same activation and gradient shapes every time; without reuse each step's ~GBs of fresh arrays
 * make the parallel collector grow the heap far beyond the live set (peak resident memory about twice
 * PyTorch's on resnet18). Reuse is safe because a released tensor's storage can no longer be reached
 * ({@code Tensor.storage()} throws once it is freed), and arrays are zero-filled again before they are handed
 * out. Small arrays are not pooled (allocation is cheap), and the pool holds at most {@code capacityBytes}.
 */
final class CpuArrayPool {
    /** Arrays shorter than this (64 KB) are always freshly allocated. */
    static final int MIN_POOLED = 1 << 14;

    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long pooledBytes;

    CpuArrayPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** A zero-filled array of exactly {@code numel} floats. */
    float[] take(int numel) {
        float[] a = numel >= MIN_POOLED ? poll(numel) : null;
        if (a != null) {
            zero(a);
            return a;
        }
        try {
            return new float[numel];
        } catch (OutOfMemoryError e) {
            clear(); // pooled arrays must never be the reason an allocation fails
            return new float[numel];
        }
    }

    /** Takes back the array of a released storage (nobody may use it afterwards). */
    void give(float[] a) {
        if (a.length < MIN_POOLED) {
            return;
        }
        synchronized (this) {
            long bytes = 4L * a.length;
            if (pooledBytes + bytes > capacityBytes) {
                return;
            }
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
            pooledBytes += bytes;
        }
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    synchronized void clear() {
        free.clear();
        pooledBytes = 0;
    }

    private synchronized float[] poll(int numel) {
        ArrayDeque<float[]> q = free.get(numel);
        float[] a = q == null ? null : q.pollLast();
        if (a != null) {
            pooledBytes -= 4L * numel;
        }
        return a;
    }

    private static void zero(float[] a) {
        int block = 1 << 16;
        int blocks = (a.length + block - 1) / block;
        CpuThreads.parallelFor(blocks, block / 4, (from, to) ->
                Arrays.fill(a, from * block, Math.min(a.length, to * block), 0f));
    }
}
