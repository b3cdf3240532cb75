package org.cnn4j.cpu;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Recycles the float arrays of released CPU storages, keyed by exact length. A training step allocates and
 * releases the same activation and gradient shapes every time; without reuse each step's ~GBs of fresh arrays
 * make the parallel collector grow the heap far beyond the live set (peak resident memory about twice
 * PyTorch's on resnet18). Reuse is safe because a released tensor's storage can no longer be reached
 * ({@code Tensor.storage()} throws once it is freed), and arrays are zero-filled again before they are handed
 * out. Small arrays are not pooled (allocation is cheap); a pool holds at most {@code capacityBytes}, and all
 * pools together at most a quarter of the heap: a JVM with several backends (a test JVM keeps one per test class)
 * must not keep a quarter per backend. A failed allocation empties every pool, not just its own.
 */
final class CpuArrayPool {
    /** Arrays shorter than this (64 KB) are always freshly allocated. */
    static final int MIN_POOLED = 1 << 14;

    /** Every pool of this JVM, weakly held (a collected backend's arrays are gone with it). */
    private static final Set<CpuArrayPool> POOLS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private static final long JVM_CAPACITY = Runtime.getRuntime().maxMemory() / 4;

    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** Written under this pool's lock, read without it when the pools' total is summed. */
    private volatile long pooledBytes;

    CpuArrayPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
        POOLS.add(this);
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
            clearAll(); // pooled arrays must never be the reason an allocation fails
            return new float[numel];
        }
    }

    /** Takes back the array of a released storage (nobody may use it afterwards). */
    void give(float[] a) {
        if (a.length < MIN_POOLED) {
            return;
        }
        long bytes = 4L * a.length;
        long allPools = jvmPooledBytes(); // summed before taking this pool's lock: no nested locks
        synchronized (this) {
            if (pooledBytes + bytes > capacityBytes || allPools + bytes > JVM_CAPACITY) {
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

    /** The bytes all pools of this JVM hold (a racy but never negative sum: enough for a budget). */
    static long jvmPooledBytes() {
        long sum = 0;
        synchronized (POOLS) {
            for (CpuArrayPool p : POOLS) {
                sum += p.pooledBytes;
            }
        }
        return sum;
    }

    private static void clearAll() {
        synchronized (POOLS) {
            POOLS.forEach(CpuArrayPool::clear);
        }
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
